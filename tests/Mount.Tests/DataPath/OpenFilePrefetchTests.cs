using System.Security.Cryptography;
using StashMount.Backends;
using StashMount.Backends.Local;
using StashMount.Mount.DataPath;
using StashMount.Repository;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.DataPath;

public sealed class OpenFilePrefetchTests : IDisposable
{
    private const int BlobSize = 1 << 20;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BlobsFetchedAheadThatTheReaderSkipsDoNotStayCached()
    {
        var (fetcher, map, content) = await FileOfBlobsAsync(48);
        using var cache = fetcher.Cache;
        using var _ = fetcher;
        var file = new OpenFile(map, fetcher, 64L << 20);
        var buffer = new byte[BlobSize];

        // The kernel asks for the first 4 MiB, has the next 12 MiB in its page cache, and asks for the rest.
        foreach (var at in Enumerable.Range(0, 4).Concat(Enumerable.Range(16, 32)))
        {
            Assert.Equal(BlobSize, await file.ReadAsync((long)at * BlobSize, buffer, CancellationToken.None));
            Assert.True(buffer.AsSpan().SequenceEqual(content[at]));
        }

        // Whatever was fetched ahead of the skipped part has arrived or is dropped on arrival: nothing of it stays.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (fetcher.Cache.Count > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Equal(0, fetcher.Cache.Count);
    }

    [Fact]
    public async Task ASequentialReadLeavesNothingInTheMemoryCache()
    {
        var (fetcher, map, content) = await FileOfBlobsAsync(24);
        using var cache = fetcher.Cache;
        using var _ = fetcher;
        var file = new OpenFile(map, fetcher, 64L << 20);
        var buffer = new byte[BlobSize / 2];

        for (long at = 0; at < map.Length; at += buffer.Length)
            Assert.Equal(buffer.Length, await file.ReadAsync(at, buffer, CancellationToken.None));

        Assert.True(buffer.AsSpan().SequenceEqual(content[^1].AsSpan(BlobSize / 2)));
        Assert.Equal(0, fetcher.Cache.Count);
    }

    /// <summary>A file of <paramref name="count"/> random 1 MiB blobs, stored uncompressed in one pack.</summary>
    private async Task<(BlobFetcher, FileContentMap, byte[][])> FileOfBlobsAsync(int count)
    {
        var key = MasterKey.CreateRandom();
        var backend = new LocalBackend(_dir.Path);
        backend.CreateLayout();
        var packId = ObjectId.Hash(RandomNumberGenerator.GetBytes(32));
        var content = new byte[count][];
        var blobs = new Dictionary<ObjectId, PackedBlob>();
        var ids = new List<ObjectId>();
        using var pack = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            content[i] = RandomNumberGenerator.GetBytes(BlobSize);
            var id = ObjectId.Hash(content[i]);
            var stored = AuthenticatedEncryption.Encrypt(key, content[i]);
            blobs[id] = new PackedBlob(id, BlobType.Data, packId, (uint)pack.Position, (uint)stored.Length, 0);
            ids.Add(id);
            pack.Write(stored);
        }
        await backend.SaveAsync(new FileHandle(FileType.Pack, packId.ToString()), pack.ToArray());
        var fetcher = new BlobFetcher(backend, key, id => blobs.TryGetValue(id, out var blob) ? blob : null, new BlobCache(512L << 20), new DataPathOptions(), _ => { });
        return (fetcher, FileContentMap.Build(ids, id => blobs[id].PlaintextLength), content);
    }
}
