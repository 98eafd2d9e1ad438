using System.Text;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;

namespace StashMount.Repository.Tests.Index;

public sealed class IndexFileDecoderTests
{
    private static readonly MasterKey Key = MasterKey.CreateRandom();

    private static byte[] Json(int blobs)
    {
        var text = new StringBuilder("{\"packs\":[{\"id\":\"" + new string('1', 64) + "\",\"blobs\":[");
        for (var i = 0; i < blobs; i++)
            text.Append(i == 0 ? "" : ",").Append($"{{\"id\":\"{i:x64}\",\"type\":\"data\",\"offset\":{i * 100},\"length\":100,\"uncompressed_length\":300}}");
        return Encoding.UTF8.GetBytes(text.Append("]}]}").ToString());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void DecodesCompressedAndPlainFilesWithOneReusedPool(int repositoryVersion)
    {
        var buffers = IndexFileDecoder.CreateBufferPool();
        // Several files through one pool: a reused buffer longer than the next file must not leak its old bytes.
        foreach (var count in new[] { 3000, 5, 1200 })
        {
            var stored = AuthenticatedEncryption.Encrypt(Key, UnpackedEncoding.Encode(Json(count), repositoryVersion));
            var file = IndexFileDecoder.Decode(Key, stored, repositoryVersion, "index/test", buffers);
            Assert.Equal(count, file.Blobs.Count);
            Assert.Equal(new PackedBlob(new ObjectId(Convert.FromHexString($"{count - 1:x64}")), BlobType.Data,
                new ObjectId(Convert.FromHexString(new string('1', 64))), (uint)(count - 1) * 100, 100, 300), file.Blobs[^1]);
        }
    }

    [Fact]
    public void RejectsADamagedFileBeforeDecoding()
    {
        var stored = AuthenticatedEncryption.Encrypt(Key, UnpackedEncoding.Encode(Json(10), 2));
        stored[40] ^= 1;
        var error = Assert.Throws<IntegrityException>(() => IndexFileDecoder.Decode(Key, stored, 2, "index/test", IndexFileDecoder.CreateBufferPool()));
        Assert.Contains("MAC", error.Message);
        Assert.Throws<IntegrityException>(() => IndexFileDecoder.Decode(Key, new byte[10], 2, "index/test", IndexFileDecoder.CreateBufferPool()));
    }
}
