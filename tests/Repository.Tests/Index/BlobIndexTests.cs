using System.Buffers.Binary;
using StashMount.Repository.Index;
using Xunit.Abstractions;

namespace StashMount.Repository.Tests.Index;

public sealed class BlobIndexTests(ITestOutputHelper output)
{
    private static ObjectId Id(int n, int salt = 0)
    {
        // Deterministic, evenly spread IDs like real SHA-256 values.
        Span<byte> seed = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(seed, n);
        BinaryPrimitives.WriteInt32LittleEndian(seed[4..], salt);
        return ObjectId.Hash(seed);
    }

    private static PackedBlob Blob(int n, int pack, BlobType type = BlobType.Data, uint offset = 0) =>
        new(Id(n), type, Id(pack, salt: 1), offset, 100 + (uint)n % 1000, (uint)n % 3 == 0 ? 0u : 5000);

    [Fact]
    public void EmptyIndexFindsNothing()
    {
        var index = new BlobIndex();
        Assert.False(index.TryGet(Id(1), BlobType.Data, out _));
        Assert.Empty(index.GetAll(Id(1), BlobType.Data));
        Assert.Equal(0, index.Count);
        index.Add([]);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void FindsBlobsByIdAndType()
    {
        var index = new BlobIndex();
        index.Add([Blob(1, 10), Blob(2, 10, BlobType.Tree, 200)]);
        Assert.True(index.TryGet(Id(1), BlobType.Data, out var found));
        Assert.Equal(Blob(1, 10), found);
        Assert.False(index.Contains(Id(1), BlobType.Tree));
        Assert.True(index.Contains(Id(2), BlobType.Tree));
        Assert.False(index.Contains(Id(2), BlobType.Data));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void KeepsEveryCopyButCountsEachBlobOnce()
    {
        var index = new BlobIndex();
        index.Add([Blob(1, 10), Blob(2, 10, offset: 500)]);
        index.Add([Blob(1, 11)]);
        // The same pack listed by two index files (overlapping indexes) is one copy, not two.
        index.Add([Blob(1, 10), Blob(1, 11)]);
        index.Add([Blob(1, 12), Blob(1, 12)]);
        var copies = index.GetAll(Id(1), BlobType.Data);
        Assert.Equal(new[] { Id(10, 1), Id(11, 1), Id(12, 1) }.Order(), copies.Select(c => c.PackId).Order().ToArray());
        Assert.Single(index.GetAll(Id(2), BlobType.Data));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void SameIdAsDataAndTreeAreDistinctEntries()
    {
        var index = new BlobIndex();
        index.Add([Blob(1, 10, BlobType.Tree), Blob(1, 11, BlobType.Data)]);
        Assert.Equal(2, index.Count);
        Assert.Equal(Id(10, 1), index.GetAll(Id(1), BlobType.Tree).Single().PackId);
        Assert.Equal(Id(11, 1), index.GetAll(Id(1), BlobType.Data).Single().PackId);
    }

    [Fact]
    public void AnswersLookupsOverAMillionBlobsAddedInManyFiles()
    {
        const int total = 1_000_000, perFile = 50_000, perPack = 40;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = new BlobIndex();
        for (var start = 0; start < total; start += perFile)
        {
            var file = new List<PackedBlob>(perFile);
            for (var n = start; n < start + perFile; n++)
                file.Add(Blob(n, n / perPack, n % 7 == 0 ? BlobType.Tree : BlobType.Data, (uint)(n % perPack) * 1000));
            index.Add(file);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{total} blobs: {(after - before) / (double)total:F1} bytes per blob (GC heap), tables {index.ApproximateBytes / (double)total:F1} bytes per blob");
        Assert.True(index.ApproximateBytes / total < 64, $"index uses {index.ApproximateBytes / total} bytes per blob");

        Assert.Equal(total, index.Count);
        for (var n = 0; n < total; n += 997)
        {
            var type = n % 7 == 0 ? BlobType.Tree : BlobType.Data;
            Assert.True(index.TryGet(Id(n), type, out var blob), $"blob {n} missing");
            Assert.Equal(Blob(n, n / perPack, type, (uint)(n % perPack) * 1000), blob);
            Assert.False(index.Contains(Id(n), type == BlobType.Tree ? BlobType.Data : BlobType.Tree));
        }
        for (var n = total; n < total + 1000; n++)
            Assert.False(index.Contains(Id(n), BlobType.Data));
    }

    [Fact]
    public async Task ReadersSeeEveryPublishedBlobWhileFilesAreAdded()
    {
        var index = new BlobIndex();
        var published = 0;
        using var done = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var checks = 0;
            while (!done.IsCancellationRequested || checks == 0)
            {
                var upTo = Volatile.Read(ref published);
                for (var n = Math.Max(0, upTo - 200); n < upTo; n++)
                    if (!index.Contains(Id(n), BlobType.Data))
                        throw new InvalidOperationException($"published blob {n} not found");
                checks++;
            }
        })).ToArray();
        for (var file = 0; file < 200; file++)
        {
            index.Add(Enumerable.Range(file * 500, 500).Select(n => Blob(n, n / 10)).ToList());
            Volatile.Write(ref published, (file + 1) * 500);
        }
        done.Cancel();
        await Task.WhenAll(readers);
        Assert.Equal(100_000, index.Count);
    }

    [Fact]
    public void NewestPackComesFirst()
    {
        var index = new BlobIndex();
        index.Add([Blob(1, 10)]);
        index.Add([Blob(1, 11), Blob(2, 11)]);
        index.Add([Blob(1, 12)]);
        Assert.Equal([Id(12, 1), Id(11, 1), Id(10, 1)], index.GetAll(Id(1), BlobType.Data).Select(c => c.PackId));
        Assert.True(index.TryGet(Id(1), BlobType.Data, out var newest));
        Assert.Equal(Id(12, 1), newest.PackId);
        Assert.Equal(3, index.PackCount);
        Assert.Equal(4, index.CopyCount);
    }

    [Fact]
    public void ReplaceWithSwapsTheWholeContents()
    {
        var index = new BlobIndex();
        index.Add([Blob(1, 10), Blob(2, 10)]);
        var rebuilt = new BlobIndex();
        rebuilt.Add([Blob(2, 20), Blob(3, 20)]);
        index.ReplaceWith(rebuilt);
        Assert.False(index.Contains(Id(1), BlobType.Data));
        Assert.Equal(Id(20, 1), index.GetAll(Id(2), BlobType.Data).Single().PackId);
        Assert.Equal(2, index.Count);
        index.Add([Blob(4, 21)]);
        Assert.Equal(3, index.Count);
    }
}
