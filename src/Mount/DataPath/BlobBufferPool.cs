using StashMount.Repository;

namespace StashMount.Mount.DataPath;

/// <summary>
/// Keeps released <see cref="BlobBuffer"/> blocks for reuse, up to <c>retainBytes</c> in total, so a steady
/// sequential read recycles the same pages instead of mapping new ones (mmap and munmap of megabyte blocks cost
/// more CPU than decrypting them). The retention should cover a prefetch window: buffers go out and come back
/// in window-sized waves. When no free block fits a request and the free ones already fill the retention, some
/// of at least the new one's size are unmapped first (largest first), so misfits do not pile up; and a pool not
/// asked for anything for <see cref="IdleTrim"/> unmaps all free blocks (an idle mount shrinks).
/// </summary>
public sealed class BlobBufferPool : IDisposable
{
    private const int Granule = 64 << 10;
    private const int HugeFrom = 1 << 20;
    private readonly long _retainBytes;
    private readonly Lock _lock = new();
    private readonly List<BlobBuffer> _free = [];
    private long _freeBytes;
    private long _liveBytes;
    private int _rentsSinceTrim;
    private readonly Timer _trim;
    private readonly HugePageArena _arena = new(ArenaBytes);

    /// <summary>
    /// Address space (not memory) for blobs of a megabyte and more: room for the default 512 MiB memory cache, a
    /// prefetch window and ranges in flight many times over; blobs that do not fit get blocks of their own.
    /// </summary>
    private const long ArenaBytes = 4L << 30;

    /// <summary>
    /// Buffers from this size on come from the arena: restic's smallest chunks (512 KiB) and coalesced ranges; a block
    /// of their own on 4 KiB pages (768 KiB, one in six blobs of a big file) was mapped fresh for most of them. Smaller
    /// ones (small files' blobs) would waste most of a 64 KiB granule.
    /// </summary>
    private const int ArenaFrom = 256 << 10;

    public static readonly TimeSpan IdleTrim = TimeSpan.FromSeconds(5);

    public BlobBufferPool(long retainBytes, TimeSpan? idleTrim = null)
    {
        _retainBytes = retainBytes;
        var period = idleTrim ?? IdleTrim;
        _trim = new Timer(static pool => ((BlobBufferPool)pool!).TrimIfIdle(), this, period, period);
    }

    /// <summary>Blocks mapped so far (each one an mmap); a steady read should map few beyond its first window.</summary>
    public long Allocations => Interlocked.Read(ref _allocations);

    private long _allocations;

    /// <summary>Bytes handed out and not yet released (cache, readers, fetches in flight).</summary>
    public long LiveBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>Bytes kept free for reuse (blocks, and arena pages not handed out).</summary>
    public long FreeBytes
    {
        get
        {
            long arenaFree = _arena.PopulatedBytes - _arena.AllocatedBytes;
            lock (_lock) return _freeBytes + arenaFree;
        }
    }

    /// <summary>Bytes of the huge-page arena backed by memory.</summary>
    public long ArenaResidentBytes => _arena.PopulatedBytes;

    /// <summary>A buffer of <paramref name="length"/> bytes holding one reference (the caller's).</summary>
    public BlobBuffer Rent(int length, Repository.ObjectId content = default)
    {
        BlobBuffer? found = null;
        List<BlobBuffer>? misfits = null;
        // At most about twice the length, or the capacity a new block would have (a whole huge page).
        if (length >= ArenaFrom && RentFromArena(length, content) is { } carved)
            return carved;
        var largest = Math.Max(2L * length + Granule, CapacityFor(length));
        lock (_lock)
        {
            _rentsSinceTrim++;
            var best = -1;
            for (var i = 0; i < _free.Count; i++)
            {
                var capacity = _free[i].Capacity;
                if (capacity >= length && capacity <= largest && (best < 0 || capacity < _free[best].Capacity))
                    best = i;
            }
            if (best >= 0)
                found = TakeFree(best);
            else if (_freeBytes + CapacityFor(length) > _retainBytes)
                misfits = TakeMisfits(CapacityFor(length));
        }
        if (misfits != null)
            foreach (var misfit in misfits) misfit.Free();
        if (found == null)
        {
            found = new BlobBuffer(this, Math.Max(CapacityFor(length), length));
            Interlocked.Increment(ref _allocations);
        }
        Interlocked.Add(ref _liveBytes, found.Capacity);
        found.Reset(content, length);
        return found;
    }

    private unsafe BlobBuffer? RentFromArena(int length, Repository.ObjectId content)
    {
        var pointer = _arena.TryAllocate(length, out var bytes);
        if (pointer == null)
            return null;
        lock (_lock) _rentsSinceTrim++;
        Interlocked.Add(ref _liveBytes, bytes);
        var buffer = new BlobBuffer(this, pointer, bytes);
        buffer.Reset(content, length);
        return buffer;
    }

    internal unsafe void Return(BlobBuffer buffer)
    {
        Interlocked.Add(ref _liveBytes, -buffer.Capacity);
        if (buffer.InArena)
        {
            _arena.Free(buffer.Pointer, buffer.Capacity);
            // Only well past the retention: pages given back in the middle of a read are zeroed again when it needs
            // them (a huge page's zeroing is most of what a fresh one costs).
            _arena.Trim(_retainBytes - FreeBlockBytes, minimumExcess: _retainBytes / 2);
            return;
        }
        lock (_lock)
        {
            if (_freeBytes + buffer.Capacity <= _retainBytes)
            {
                _free.Add(buffer);
                _freeBytes += buffer.Capacity;
                return;
            }
        }
        buffer.Free();
    }

    private long FreeBlockBytes
    {
        get { lock (_lock) return _freeBytes; }
    }

    private BlobBuffer TakeFree(int index)
    {
        var found = _free[index];
        _free[index] = _free[^1];
        _free.RemoveAt(_free.Count - 1);
        _freeBytes -= found.Capacity;
        return found;
    }

    /// <summary>Largest free blocks first, at least <paramref name="bytes"/> of them (or all), to be unmapped outside the lock.</summary>
    private List<BlobBuffer>? TakeMisfits(long bytes)
    {
        if (_free.Count == 0)
            return null;
        var taken = new List<BlobBuffer>();
        for (long freed = 0; freed < bytes && _free.Count > 0;)
        {
            var largest = 0;
            for (var i = 1; i < _free.Count; i++)
                if (_free[i].Capacity > _free[largest].Capacity) largest = i;
            var block = TakeFree(largest);
            freed += block.Capacity;
            taken.Add(block);
        }
        return taken;
    }

    private void TrimIfIdle()
    {
        List<BlobBuffer> idle;
        lock (_lock)
        {
            var rents = _rentsSinceTrim;
            _rentsSinceTrim = 0;
            if (rents > 0)
                return;
            idle = [.. _free];
            _free.Clear();
            _freeBytes = 0;
        }
        foreach (var block in idle) block.Free();
        _arena.Trim(0);
    }

    /// <summary>
    /// Capacities come in a few sizes per power of two (p, 1.5p, 2p), so a block freed by one blob or range fits the
    /// next of similar size; exact 64 KiB multiples made almost every block a misfit (a cold 512 MiB read mapped
    /// 500 blocks for 640 rents).
    /// </summary>
    /// <remarks>
    /// From 1 MiB on, capacities are whole 2 MiB huge pages (<see cref="AnonymousPages.AllocateHuge"/>): a cold
    /// sequential read maps its first prefetch window of blobs and ranges fresh, and fresh 4 KiB pages cost more
    /// CPU than decrypting into them (512 MiB cold cat: ~62,000 page faults for ~200 blocks). The price: up to
    /// twice a blob's size resident while it is held (small files' blobs and ranges stay on 4 KiB pages).
    /// </remarks>
    internal static int CapacityFor(int length)
    {
        long size = Math.Max(length, 1);
        if (size <= Granule)
            return Granule;
        var power = 1L << (63 - (int)long.LeadingZeroCount(size));
        var capacity = size == power ? power : size <= power + power / 2 ? power + power / 2 : 2 * power;
        if (capacity >= HugeFrom)
            capacity = (capacity + AnonymousPages.HugePageSize - 1) / AnonymousPages.HugePageSize * AnonymousPages.HugePageSize;
        return (int)Math.Min(capacity, int.MaxValue & ~(Granule - 1));
    }

    public void Dispose()
    {
        _trim.Dispose();
        lock (_lock)
        {
            foreach (var buffer in _free) buffer.Free();
            _free.Clear();
            _freeBytes = 0;
        }
        _arena.Dispose();
    }
}
