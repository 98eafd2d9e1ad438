using System.Text;
using StashMount.Repository.Compression;

namespace StashMount.Repository.Tests.Compression;

public sealed class ZstdTests
{
    private static byte[] SampleText(int lines) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, lines).Select(i => $"line {i}\n")));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(50_000)]
    public void RoundTrips(int lines)
    {
        var input = SampleText(lines);
        foreach (var level in new[] { Zstd.AutoLevel, Zstd.MaxLevel })
        {
            var frame = Zstd.Compress(input, level);
            Assert.Equal(input, Zstd.Decompress(frame, "test"));
            var exact = new byte[input.Length];
            Zstd.DecompressExact(frame, exact, "test");
            Assert.Equal(input, exact);
        }
    }

    [Fact]
    public void CorruptFrameIsAnIntegrityErrorNamingTheObject()
    {
        var frame = Zstd.Compress(SampleText(10_000));
        var damaged = (byte[])frame.Clone();
        for (var i = 8; i < damaged.Length; i += 7)
            damaged[i] ^= 0x5a;
        var e = Assert.Throws<IntegrityException>(() => Zstd.Decompress(damaged, "index/abcd"));
        Assert.Contains("index/abcd", e.Message, StringComparison.Ordinal);
        Assert.Throws<IntegrityException>(() => Zstd.DecompressExact(damaged, new byte[SampleText(10_000).Length], "blob"));
    }

    [Fact]
    public void GarbageAndTruncationAreIntegrityErrors()
    {
        Assert.Throws<IntegrityException>(() => Zstd.Decompress("not zstd at all"u8, "x"));
        Assert.Throws<IntegrityException>(() => Zstd.Decompress([], "x"));
        var frame = Zstd.Compress(SampleText(10_000));
        Assert.Throws<IntegrityException>(() => Zstd.Decompress(frame.AsSpan(0, frame.Length / 2), "x"));
        Assert.Throws<IntegrityException>(() => Zstd.DecompressExact(frame, new byte[10], "x"));
    }

    [Fact]
    public void UnpackedEncodingHandlesMarkerAndRawJson()
    {
        var json = "{\"packs\":[]}\n"u8.ToArray();
        var encoded = UnpackedEncoding.Encode(json, 2);
        Assert.Equal(UnpackedEncoding.CompressedMarker, encoded[0]);
        Assert.Equal(json, UnpackedEncoding.Decode(encoded, 2, "x"));
        Assert.Equal(json, UnpackedEncoding.Decode(json, 2, "x"));
        Assert.Equal(json, UnpackedEncoding.Encode(json, 1));
        Assert.Throws<IntegrityException>(() => UnpackedEncoding.Decode([7, 1, 2], 2, "x"));
    }
}
