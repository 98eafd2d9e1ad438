using System.Security.Cryptography;
using StashMount.Repository.Blobs;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;

namespace StashMount.Repository.Tests.BlobDecoding;

public sealed class BlobDecoderTests
{
    private static readonly MasterKey Key = MasterKey.CreateRandom();

    // Frames as zstd writes them: compressed blocks; raw blocks only (random data); repeated-byte (RLE) blocks;
    // raw and compressed blocks mixed; and a blob stored without compression.
    public static TheoryData<string> Kinds => new() { "compressible", "incompressible", "repeated", "mixed", "uncompressed" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceDecodingGivesThePlaintext(string kind)
    {
        var (plaintext, blob, stored) = Encode(kind);
        var destination = new byte[blob.PlaintextLength];

        BlobDecoder.DecodeInPlace(Key, blob, stored, destination);

        Assert.True(plaintext.AsSpan().SequenceEqual(destination), kind);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceDecodingRejectsADamagedBlobAndLeavesItsBytes(string kind)
    {
        var (_, blob, stored) = Encode(kind);
        stored[stored.Length / 2] ^= 1;
        var before = stored.ToArray();

        var e = Assert.Throws<IntegrityException>(() => BlobDecoder.DecodeInPlace(Key, blob, stored, new byte[blob.PlaintextLength]));

        Assert.Contains("MAC", e.Message);
        Assert.Contains(blob.PackId.ToString(), e.Message);
        Assert.True(before.AsSpan().SequenceEqual(stored), kind);
    }

    [Theory]
    [InlineData("compressible")]
    [InlineData("incompressible")]
    public void InPlaceDecodingChecksTheContentAgainstTheId(string kind)
    {
        var (_, blob, stored) = Encode(kind);
        var wrong = blob with { Id = ObjectId.Hash("something else"u8) };

        var e = Assert.Throws<IntegrityException>(() => BlobDecoder.DecodeInPlace(Key, wrong, stored, new byte[blob.PlaintextLength]));

        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void AFrameThatIsNotAllRawIsDecompressedNormally()
    {
        var (plaintext, blob, stored) = Encode("mixed");
        var frame = Zstd.Compress(plaintext);
        Assert.False(RawBlocksOnly(frame, plaintext.Length), "the mixed frame should hold a compressed block");
        Assert.True(RawBlocksOnly(Zstd.Compress(RandomNumberGenerator.GetBytes(400_000)), 400_000), "random data should give raw blocks");

        var destination = new byte[blob.PlaintextLength];
        BlobDecoder.DecodeInPlace(Key, blob, stored, destination);
        Assert.Equal(plaintext, destination);
    }

    private static bool RawBlocksOnly(byte[] frame, int contentLength)
    {
        var reader = new PlainFrame(frame);
        return RawZstdFrame.TryParse(frame.Length, contentLength, ref reader, []);
    }

    private readonly struct PlainFrame(byte[] frame) : RawZstdFrame.IFrameReader
    {
        public void Read(int offset, scoped Span<byte> destination) => frame.AsSpan(offset, destination.Length).CopyTo(destination);
    }

    private static (byte[] Plaintext, PackedBlob Blob, byte[] Stored) Encode(string kind)
    {
        var plaintext = kind switch
        {
            "compressible" => Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251 / 7)).ToArray(),
            "repeated" => Enumerable.Repeat((byte)9, 400_000).ToArray(),
            "mixed" => [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i % 13)), .. RandomNumberGenerator.GetBytes(300_000)],
            _ => RandomNumberGenerator.GetBytes(300_001),
        };
        var compressed = kind != "uncompressed";
        var stored = AuthenticatedEncryption.Encrypt(Key, compressed ? Zstd.Compress(plaintext) : plaintext);
        var blob = new PackedBlob(ObjectId.Hash(plaintext), BlobType.Data, ObjectId.Hash("pack"u8), 0, (uint)stored.Length, compressed ? (uint)plaintext.Length : 0);
        return (plaintext, blob, stored);
    }
}
