using StashMount.Mount.DataPath;
using StashMount.Repository;

namespace StashMount.Mount.Tests.DataPath;

public sealed class BlobCacheTests
{
    private static ObjectId Id(int n) => ObjectId.Hash(BitConverter.GetBytes(n));

    private static BlobBuffer Blob(BlobBufferPool pool, int n, int length)
    {
        var buffer = pool.Rent(length, Id(n));
        buffer.Writable.Fill((byte)n);
        return buffer;
    }

    [Fact]
    public void EvictsLeastRecentlyUsedAndCountsItsBytes()
    {
        using var pool = new BlobBufferPool(0);
        using var cache = new BlobCache(300);
        for (var n = 1; n <= 3; n++)
        {
            var b = Blob(pool, n, 100);
            cache.Add(Id(n), b);
            b.Release();
        }
        Assert.Equal(300, cache.Bytes);
        cache.TryGet(Id(1))!.Release(); // 1 is now the most recently used
        var fourth = Blob(pool, 4, 100);
        cache.Add(Id(4), fourth);
        fourth.Release();

        Assert.Equal(300, cache.Bytes);
        Assert.Equal(3, cache.Count);
        Assert.False(cache.Contains(Id(2)));
        Assert.True(cache.Contains(Id(1)));
        Assert.Equal(3 * (64 << 10), pool.LiveBytes); // three blocks of one granule each, held by the cache
    }

    [Fact]
    public void AReaderKeepsItsBlobAfterEvictionAndTheBufferIsRecycledAfterwards()
    {
        using var pool = new BlobBufferPool(1 << 20);
        using var cache = new BlobCache(1 << 20);
        var blob = Blob(pool, 1, 1000);
        cache.Add(Id(1), blob);
        blob.Release();

        var held = cache.TryGet(Id(1))!;
        cache.Remove(Id(1));
        Assert.Equal(0, cache.Bytes);
        Assert.True(held.Data.ToArray().All(b => b == 1));
        Assert.True(pool.LiveBytes > 0);

        held.Release();
        Assert.Equal(0, pool.LiveBytes);
        var reused = pool.Rent(900, Id(2));
        Assert.Same(held, reused);
        Assert.False(held.TryAcquire(Id(1))); // a stale reader cannot take the recycled buffer for the old blob
        reused.Release();
    }

    [Fact]
    public void ABlobLargerThanTheCacheIsNotKept()
    {
        using var pool = new BlobBufferPool(0);
        using var cache = new BlobCache(10);
        var blob = Blob(pool, 1, 100);
        cache.Add(Id(1), blob);
        blob.Release();
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, pool.LiveBytes);
    }
}
