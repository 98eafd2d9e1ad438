using StashMount.Repository;

namespace StashMount.Mount.DataPath;

/// <summary>
/// One large range of address space on transparent huge pages, handed out in 64 KiB granules, lowest free run first.
/// Megabyte blob buffers as blocks of whole huge pages of their own held ~1.5 times the blobs' bytes (restic's chunks
/// are 0.5-8 MiB, ~1.5 MiB on average, rounded up to 2 MiB pages), and blocks of one size could not serve another:
/// a 64 MiB prefetch window plus the pool's free blocks kept ~140 MiB resident, more than restic mount's whole peak
/// RSS. Here blobs of any size share the huge pages (no 4 KiB pages: decoding into those cost ~25% more CPU), and
/// memory freed by one blob serves the next. Pages are populated as the highest allocation grows and given back
/// from the top (<see cref="Trim"/>), so lowest-first allocation keeps the resident part near the peak in use.
/// </summary>
internal sealed unsafe class HugePageArena : IDisposable
{
    public const int Granule = 64 << 10;
    private readonly byte* _base;
    private readonly long _granules;
    private readonly ulong[] _used; // one bit per granule
    private readonly Lock _lock = new();
    private long _populated;
    private long _allocated;
    private bool _disposed;

    public HugePageArena(long size)
    {
        size = Math.Max(size / AnonymousPages.HugePageSize, 1) * AnonymousPages.HugePageSize;
        _base = AnonymousPages.ReserveAligned((nuint)size, noReserve: true);
        AnonymousPages.AdviseHugePages(_base, (nuint)size, true);
        _granules = size / Granule;
        _used = new ulong[(_granules + 63) / 64];
    }

    /// <summary>Bytes handed out (whole granules).</summary>
    public long AllocatedBytes
    {
        get { lock (_lock) return _allocated; }
    }

    /// <summary>Bytes backed by memory (whole huge pages from the start).</summary>
    public long PopulatedBytes
    {
        get { lock (_lock) return _populated; }
    }

    /// <summary>Granules for <paramref name="length"/> bytes, or null when no run of free ones is long enough.</summary>
    public byte* TryAllocate(int length, out int bytes)
    {
        var count = Math.Max(1, (int)(((long)length + Granule - 1) / Granule));
        bytes = count * Granule;
        lock (_lock)
        {
            var start = FindRun(count);
            if (start < 0)
                return null;
            Mark(start, count, true);
            _allocated += bytes;
            var end = (start + count) * Granule;
            if (end > _populated)
            {
                // Under the lock: a range given back by Trim while being populated would stay resident.
                var to = RoundUpHuge(end);
                AnonymousPages.Populate(_base + _populated, (nuint)(to - _populated));
                _populated = to;
            }
            return _base + start * Granule;
        }
    }

    public void Free(byte* pointer, int bytes)
    {
        lock (_lock)
        {
            Mark((pointer - _base) / Granule, bytes / Granule, false);
            _allocated -= bytes;
            if (_disposed && _allocated == 0)
                Unmap();
        }
    }

    /// <summary>
    /// Gives back populated pages above the highest allocation while more than <paramref name="keepFree"/> bytes are
    /// free, once at least <paramref name="minimumExcess"/> bytes more are.
    /// </summary>
    public void Trim(long keepFree, long minimumExcess = 0)
    {
        lock (_lock)
        {
            var excess = _populated - _allocated - Math.Max(keepFree, 0);
            if (excess <= Math.Max(minimumExcess, 0) || _disposed)
                return;
            var floor = Math.Max(RoundUpHuge(TopGranule() * Granule), RoundUpHuge(_populated - excess));
            if (floor >= _populated)
                return;
            AnonymousPages.Discard(_base + floor, (nuint)(_populated - floor));
            _populated = floor;
        }
    }

    private static long RoundUpHuge(long bytes) => (bytes + AnonymousPages.HugePageSize - 1) / AnonymousPages.HugePageSize * AnonymousPages.HugePageSize;

    /// <summary>First granule of the lowest run of <paramref name="count"/> free ones, or -1.</summary>
    private long FindRun(int count)
    {
        long run = 0, start = 0;
        for (long g = 0; g < _granules;)
        {
            var word = _used[g >> 6];
            if ((g & 63) == 0 && word == 0)
            {
                if (run == 0) start = g;
                run += 64;
                g += 64;
            }
            else if ((word >> (int)(g & 63) & 1) != 0)
            {
                run = 0;
                g++;
                continue;
            }
            else
            {
                if (run == 0) start = g;
                run++;
                g++;
            }
            if (run >= count)
                return start + count <= _granules ? start : -1;
        }
        return -1;
    }

    private void Mark(long start, long count, bool used)
    {
        for (var g = start; g < start + count; g++)
        {
            if (used) _used[g >> 6] |= 1UL << (int)(g & 63);
            else _used[g >> 6] &= ~(1UL << (int)(g & 63));
        }
    }

    /// <summary>One past the highest allocated granule (0 when none is).</summary>
    private long TopGranule()
    {
        for (var w = Math.Min(_used.Length, (_populated / Granule + 63) / 64) - 1; w >= 0; w--)
            if (_used[w] != 0)
                return w * 64L + 64 - (long)ulong.LeadingZeroCount(_used[w]);
        return 0;
    }

    private void Unmap()
    {
        AnonymousPages.Free(_base, (nuint)(_granules * Granule));
        _populated = 0;
    }

    /// <summary>Unmaps the range now, or when the last allocation in it is freed (readers may still hold blobs).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            if (_allocated == 0)
                Unmap();
        }
    }
}
