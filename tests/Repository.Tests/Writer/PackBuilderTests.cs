using System.Security.Cryptography;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;
using StashMount.Repository.Packs;
using StashMount.Repository.Writer;

namespace StashMount.Repository.Tests.Writer;

public sealed class PackBuilderTests
{
    [Fact]
    public void PackReadsBackWithTheHeaderParser()
    {
        var key = MasterKey.CreateRandom();
        var plaintexts = new[] { new byte[1000], "tree json\n"u8.ToArray(), RandomNumberGenerator.GetBytes(70_000) };
        var types = new[] { BlobType.Data, BlobType.Tree, BlobType.Data };
        var builder = new PackBuilder(16);
        for (var i = 0; i < plaintexts.Length; i++)
        {
            var (stored, length, uncompressed) = BlobEncoder.Encode(key, 2, i == 2 ? ResticCompression.Off : ResticCompression.Auto, types[i], plaintexts[i]);
            builder.Add(ObjectId.Hash(plaintexts[i]), types[i], stored.AsSpan(0, length), uncompressed);
        }
        using var pack = builder.Finish(key);
        var bytes = pack.Content.ToArray();

        Assert.Equal(ObjectId.Hash(bytes), pack.Id);
        var headerLength = PackHeaderParser.ReadHeaderLength(bytes, bytes.Length, pack.Id);
        var header = AuthenticatedEncryption.Decrypt(key, bytes.AsSpan(bytes.Length - 4 - headerLength, headerLength), "header");
        var parsed = PackHeaderParser.Parse(header, pack.Id);
        Assert.Equal(pack.Blobs, parsed);
        Assert.Equal(bytes.Length, PackHeaderParser.ExpectedPackSize(parsed));
        Assert.True(parsed[0].IsCompressed && parsed[1].IsCompressed && !parsed[2].IsCompressed);

        for (var i = 0; i < parsed.Count; i++)
        {
            var blob = parsed[i];
            var plaintext = new byte[blob.PlaintextLength];
            Blobs.BlobDecoder.Decode(key, blob, bytes.AsSpan((int)blob.Offset, (int)blob.Length), plaintext);
            Assert.Equal(plaintexts[i], plaintext);
        }
    }

    [Fact]
    public void Version1NeverCompresses()
    {
        var key = MasterKey.CreateRandom();
        var (_, length, uncompressed) = BlobEncoder.Encode(key, 1, ResticCompression.Max, BlobType.Tree, new byte[5000]);
        Assert.Equal(0u, uncompressed);
        Assert.Equal(5000 + CryptoConstants.Overhead, length);
    }
}
