using System.Security.Cryptography;
using StashMount.Repository.Chunker;

namespace StashMount.Repository.Tests.Chunker;

public sealed class ContentDefinedChunkerTests
{
    [Theory]
    [InlineData(0u, false)]
    [InlineData(1u, false)]
    [InlineData(0u, true)]
    public async Task BoundariesMatchTheUpstreamVectors(uint seed, bool shortReads)
    {
        var (length, expected) = ChunkerTestData.Load(seed);
        Assert.True(expected.Count > 5);
        var data = ChunkerTestData.Lcg(seed, length);
        var tables = RabinTables.For(ChunkerTestData.FixturePolynomial);
        using var chunker = new StreamChunker(new ContentDefinedChunker(ChunkerTestData.FixturePolynomial), shortReads ? new TrickleStream(data) : new MemoryStream(data));
        long position = 0;
        var index = 0;
        for (var chunk = await chunker.NextAsync(); !chunk.IsEmpty; chunk.Return(), chunk = await chunker.NextAsync(), index++)
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
        for (var chunk = await chunker.NextAsync(); !chunk.IsEmpty; chunk.Return(), chunk = await chunker.NextAsync())
            lengths.Add(chunk.Length);
        Assert.Equal([ContentDefinedChunker.MinSize, ContentDefinedChunker.MinSize, ContentDefinedChunker.MinSize, ContentDefinedChunker.MinSize, 1000], lengths);
    }

    [Theory]
    [InlineData(0x3DA3358B4DC173UL)] // degree 53, as all of restic's: the lanes' constant shift
    [InlineData(0xB5A2E38CD7UL)] // degree 39: the lanes' variable shift
    public void LaneSearchFindsTheCutsOfAPlainRoll(ulong polynomial)
    {
        var data = new byte[24 * 1024 * 1024];
        new Random(3).NextBytes(data);
        var chunker = new ContentDefinedChunker(polynomial);
        var tables = RabinTables.For(polynomial);
        var cuts = 0;
        for (var start = 0; start + ContentDefinedChunker.MaxSize <= data.Length; cuts++)
        {
            var chunk = data.AsSpan(start, ContentDefinedChunker.MaxSize);
            // Searched in uneven pieces, as live ingestion searches what was written so far.
            int from = ContentDefinedChunker.FirstCutCandidate, found = -1;
            for (var piece = 1; found < 0 && from < chunk.Length; piece++)
            {
                var to = Math.Min(chunk.Length, from + piece * 77_777);
                found = chunker.FindCut(chunk[..to], from);
                from = to;
            }
            var expected = PlainRollCut(tables, chunk);
            Assert.Equal(expected, found);
            start += found > 0 ? found : chunk.Length;
        }
        Assert.True(cuts > 10);
    }

    // One digest rolled byte by byte from the first allowed cut: the chunk length restic gives, or -1.
    private static int PlainRollCut(RabinTables tables, ReadOnlySpan<byte> chunk)
    {
        var first = ContentDefinedChunker.FirstCutCandidate;
        ulong digest = tables.Fingerprint(chunk.Slice(first + 1 - RabinTables.WindowSize, RabinTables.WindowSize));
        for (var p = first; ; )
        {
            if ((digest & ((1UL << 20) - 1)) == 0)
                return p + 1;
            if (++p == chunk.Length)
                return -1;
            digest ^= tables.Out[chunk[p - RabinTables.WindowSize]];
            digest = ((digest << 8) | chunk[p]) ^ tables.Reduce[digest >> tables.Shift];
        }
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

    [Fact]
    public void IrreducibilityMatchesTheUpstreamVectors()
    {
        Assert.True(Polynomial.IsIrreducible(0x3DA3358B4DC173));
        Assert.True(Polynomial.IsIrreducible(0x2482734CACCA49));
        foreach (var p in new ulong[] { 0x38F1E565E288DF, 0x30A8295B9D5C91, 0x255F4350B962CB, 0x267F776110A235, 0x2F4DAE10D41227 })
            Assert.False(Polynomial.IsIrreducible(p));
        var random = Polynomial.RandomIrreducible();
        Assert.Equal(53, Polynomial.Degree(random));
        Assert.True(Polynomial.IsIrreducible(random));
    }
}
