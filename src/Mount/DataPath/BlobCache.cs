using StashMount.Repository;

namespace StashMount.Mount.DataPath;

/// <summary>
/// Decrypted blobs in memory, least recently used first out, bounded by the bytes it holds. The cache owns one
/// reference to each buffer it holds and releases it on eviction, so memory is given back exactly then.
/// Hand-written rather than Microsoft.Extensions.Caching.Memory: that cache rejects an entry that would pass
/// the limit and compacts later on a pool thread, and it cannot release a buffer at the moment it drops it.
/// Readers that have served every byte of a blob to the kernel (which keeps the file's pages) call
/// <see cref="Remove"/>: the page cache already holds those bytes, so the memory cache only grows for blobs
/// that are fetched ahead or read in pieces, where it helps.
/// </summary>
public sealed class BlobCache : IDisposable
{
    private readonly long _limit;
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectId, LinkedListNode<BlobBuffer>> _entries = [];
    private readonly LinkedList<BlobBuffer> _recency = new(); // first = most recently used
    private long _bytes;
    private long _hits;
    private long _misses;

    public BlobCache(long sizeLimitBytes, long poolRetainBytes = DataPathOptions.DefaultPoolRetainBytes)
    {
        _limit = Math.Max(sizeLimitBytes, 0);
        Pool = new BlobBufferPool(poolRetainBytes);
    }

    /// <summary>Where the buffers of cached blobs (and of their pack ranges) come from; shared by every fetcher of this cache.</summary>
    public BlobBufferPool Pool { get; }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Bytes of blobs held now.</summary>
    public long Bytes
    {
        get { lock (_lock) return _bytes; }
    }

    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>A new reference to the cached blob (the caller releases it), or null.</summary>
    public BlobBuffer? TryGet(ObjectId id)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var node) && node.Value.TryAcquire(id))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                _hits++;
                return node.Value;
            }
            _misses++;
            return null;
        }
    }

    /// <summary>Whether the blob is cached, without counting a hit or miss (used to plan prefetches).</summary>
    public bool Contains(ObjectId id)
    {
        lock (_lock) return _entries.ContainsKey(id);
    }

    /// <summary>Caches the blob; the cache takes its own reference, the caller keeps theirs.</summary>
    public void Add(ObjectId id, BlobBuffer buffer)
    {
        if (buffer.Length > _limit || !buffer.TryAcquire(id))
            return;
        List<BlobBuffer>? evicted = null;
        lock (_lock)
        {
            if (_entries.ContainsKey(id))
            {
                (evicted ??= []).Add(buffer);
            }
            else
            {
                _entries[id] = _recency.AddFirst(buffer);
                _bytes += buffer.Length;
                while (_bytes > _limit && _recency.Last is { } oldest)
                {
                    DropLocked(oldest);
                    (evicted ??= []).Add(oldest.Value);
                }
            }
        }
        if (evicted != null)
            foreach (var b in evicted) b.Release();
    }

    /// <summary>Drops the blob (if cached): its bytes are now in the kernel's page cache.</summary>
    public void Remove(ObjectId id)
    {
        BlobBuffer? dropped = null;
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var node))
            {
                DropLocked(node);
                dropped = node.Value;
            }
        }
        dropped?.Release();
    }

    private void DropLocked(LinkedListNode<BlobBuffer> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Content);
        _bytes -= node.Value.Length;
    }

    public void Dispose()
    {
        List<BlobBuffer> all;
        lock (_lock)
        {
            all = [.. _recency];
            _recency.Clear();
            _entries.Clear();
            _bytes = 0;
        }
        foreach (var b in all) b.Release();
        Pool.Dispose();
    }
}
