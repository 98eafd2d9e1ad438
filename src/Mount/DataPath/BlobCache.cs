using Microsoft.Extensions.Caching.Memory;
using StashMount.Repository;

namespace StashMount.Mount.DataPath;

/// <summary>
/// Decrypted blobs in memory, bounded in bytes (each entry's size is its length). Blobs are immutable and
/// content-addressed, so an entry never goes stale; eviction is by the cache's own compaction.
/// </summary>
public sealed class BlobCache : IDisposable
{
    private readonly MemoryCache _cache;
    private long _hits;
    private long _misses;

    public BlobCache(long sizeLimitBytes)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(sizeLimitBytes, 1), CompactionPercentage = 0.25 });
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public bool TryGet(ObjectId id, out byte[] plaintext)
    {
        if (_cache.TryGetValue(id, out var value) && value is byte[] bytes)
        {
            Interlocked.Increment(ref _hits);
            plaintext = bytes;
            return true;
        }
        Interlocked.Increment(ref _misses);
        plaintext = [];
        return false;
    }

    /// <summary>Whether the blob is cached, without counting a hit or miss (used to plan prefetches).</summary>
    public bool Contains(ObjectId id) => _cache.TryGetValue(id, out _);

    public void Add(ObjectId id, byte[] plaintext)
    {
        using var entry = _cache.CreateEntry(id);
        entry.Value = plaintext;
        entry.Size = Math.Max(plaintext.Length, 64);
    }

    public void Dispose() => _cache.Dispose();
}
