using System.Security.Cryptography;
using StashMount.Repository.Chunker;

namespace StashMount.Repository.Tests.Chunker;

public sealed class ContentDefinedChunkerTests
{
    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    public async Task BoundariesMatchTheUpstreamVectors(uint seed)
    {
        var (length, expected) = ChunkerTestData.Load(seed);
        Assert.True(expected.Count > 5);
        var data = ChunkerTestData.Lcg(seed, length);
        var tables = RabinTables.For(ChunkerTestData.FixturePolynomial);
        using var chunker = new StreamChunker(new ContentDefinedChunker(ChunkerTestData.FixturePolynomial), new MemoryStream(data));
        long position = 0;
        var index = 0;
        for (var chunk = await chunker.NextAsync(); !chunk.IsEmpty; chunk = await chunker.NextAsync(), index++)
        {
            var want = expected[index];
            Assert.Equal((want.Start, want.Length), (position, chunk.Length));
            Assert.Equal(want.Sha256, Convert.ToHexStringLower(SHA256.HashData(chunk.Span)));
            if (chunk.Length >= ContentDefinedChunker.MinSize)
                Assert.Equal(want.Cut, tables.Fingerprint(chunk.Span[^RabinTables.WindowSize..]));
            position += chunk.Length;
        }
        Assert.Equal(expected.Count, index);
        Assert.Equal(length, position);
    }

    [Fact]
    public async Task ZerosAreCutEveryMinSize()
    {
        var data = new byte[4 * ContentDefinedChunker.MinSize + 1000];
        using var chunker = new StreamChunker(new ContentDefinedChunker(ChunkerTestData.FixturePolynomial), new MemoryStream(data));
        var lengths = new List<int>();
        for (var chunk = await chunker.NextAsync(); !chunk.IsEmpty; chunk = await chunker.NextAsync())
            lengths.Add(chunk.Length);
        Assert.Equal([ContentDefinedChunker.MinSize, ContentDefinedChunker.MinSize, ContentDefinedChunker.MinSize, ContentDefinedChunker.MinSize, 1000], lengths);
    }

    [Fact]
    public void SmallAndEmptyInputsAreOneChunk()
    {
        var chunker = new ContentDefinedChunker(ChunkerTestData.FixturePolynomial);
        Assert.Equal(0, chunker.NextChunkLength([], endOfInput: true));
        Assert.Equal(13, chunker.NextChunkLength(new byte[13], endOfInput: true));
    }

    [Fact]
    public void TablesMatchTheKnownValues()
    {
        var t = RabinTables.For(ChunkerTestData.FixturePolynomial);
        Assert.Equal(0x0017eb4232e19216UL, t.Out[1]);
        Assert.Equal(0x001275b1ee8ee55fUL, t.Out[2]);
        Assert.Equal(0x000b80b98cecc39aUL, t.Out[0xff]);
        Assert.Equal(0x003da3358b4dc173UL, t.Reduce[1]);
        Assert.Equal(0x1ff7ac8a5af476a7UL, t.Reduce[0xff]);
        var window = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        Assert.Equal(0x00044b76cac5cee3UL, t.Fingerprint(window));
    }
}
