using System.Security.Cryptography;
using StashMount.Repository.Blobs;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;
using StashMount.Repository.Writer;

namespace StashMount.Repository.Tests.BlobDecoding;

public sealed class BlobDecoderTests
{
    private static readonly MasterKey Key = MasterKey.CreateRandom();

    public static TheoryData<string, int> Blobs => new()
    {
        { "compressible", 0 },
        { "incompressible", 1 },
        { "uncompressed", 2 },
    };

    [Theory]
    [MemberData(nameof(Blobs))]
    public void InPlaceDecodingGivesThePlaintext(string kind, int variant)
    {
        var (plaintext, blob, stored) = Encode(variant);
        var destination = new byte[blob.PlaintextLength];

        BlobDecoder.DecodeInPlace(Key, blob, stored, destination);

        Assert.True(plaintext.AsSpan().SequenceEqual(destination), kind);
    }

    [Theory]
    [MemberData(nameof(Blobs))]
    public void InPlaceDecodingRejectsADamagedBlobAndLeavesItsBytes(string kind, int variant)
    {
        var (_, blob, stored) = Encode(variant);
        stored[stored.Length / 2] ^= 1;
        var before = stored.ToArray();

        var e = Assert.Throws<IntegrityException>(() => BlobDecoder.DecodeInPlace(Key, blob, stored, new byte[blob.PlaintextLength]));

        Assert.Contains("MAC", e.Message);
        Assert.Contains(blob.PackId.ToString(), e.Message);
        Assert.True(before.AsSpan().SequenceEqual(stored), kind);
    }

    [Fact]
    public void InPlaceDecodingChecksTheContentAgainstTheId()
    {
        var (_, blob, stored) = Encode(0);
        var wrong = blob with { Id = ObjectId.Hash("something else"u8) };

        var e = Assert.Throws<IntegrityException>(() => BlobDecoder.DecodeInPlace(Key, wrong, stored, new byte[blob.PlaintextLength]));

        Assert.Contains("SHA-256", e.Message);
    }

    private static (byte[] Plaintext, PackedBlob Blob, byte[] Stored) Encode(int variant)
    {
        var plaintext = variant == 0 ? new byte[300_000] : RandomNumberGenerator.GetBytes(300_000);
        if (variant == 0) plaintext.AsSpan(1000, 64).Fill(7);
        var compression = variant == 2 ? ResticCompression.Off : ResticCompression.Auto;
        var (buffer, length, uncompressed) = BlobEncoder.Encode(Key, 2, compression, BlobType.Data, plaintext);
        var blob = new PackedBlob(ObjectId.Hash(plaintext), BlobType.Data, ObjectId.Hash("pack"u8), 0, (uint)length, uncompressed);
        Assert.Equal(variant != 2, blob.IsCompressed);
        return (plaintext, blob, buffer.AsSpan(0, length).ToArray());
    }
}
