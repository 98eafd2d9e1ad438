namespace StashMount.Mount.DataPath;

/// <summary>
/// Keeps released <see cref="BlobBuffer"/> blocks for reuse, up to <c>retainBytes</c> in total, so a steady
/// sequential read recycles the same pages instead of faulting in new ones; beyond that, blocks go back to the
/// system at once (so an idle mount shrinks). A request takes the smallest free block that fits without wasting
/// more than a quarter of it.
/// </summary>
public sealed class BlobBufferPool : IDisposable
{
    private const int Granule = 64 << 10;
    private readonly long _retainBytes;
    private readonly Lock _lock = new();
    private readonly List<BlobBuffer> _free = [];
    private long _freeBytes;
    private long _liveBytes;

    public BlobBufferPool(long retainBytes)
    {
        _retainBytes = retainBytes;
    }

    /// <summary>Bytes handed out and not yet released (cache, readers, fetches in flight).</summary>
    public long LiveBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>Bytes kept free for reuse.</summary>
    public long FreeBytes
    {
        get { lock (_lock) return _freeBytes; }
    }

    /// <summary>A buffer of <paramref name="length"/> bytes holding one reference (the caller's).</summary>
    public BlobBuffer Rent(int length, Repository.ObjectId content = default)
    {
        BlobBuffer? found = null;
        lock (_lock)
        {
            var best = -1;
            for (var i = 0; i < _free.Count; i++)
            {
                var capacity = _free[i].Capacity;
                if (capacity >= length && capacity - length <= capacity / 4 + Granule && (best < 0 || capacity < _free[best].Capacity))
                    best = i;
            }
            if (best >= 0)
            {
                found = _free[best];
                _free[best] = _free[^1];
                _free.RemoveAt(_free.Count - 1);
                _freeBytes -= found.Capacity;
            }
        }
        found ??= new BlobBuffer(this, RoundUp(length));
        Interlocked.Add(ref _liveBytes, found.Capacity);
        found.Reset(content, length);
        return found;
    }

    internal void Return(BlobBuffer buffer)
    {
        Interlocked.Add(ref _liveBytes, -buffer.Capacity);
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

    private static int RoundUp(int length) => (int)Math.Min(int.MaxValue, ((long)Math.Max(length, 1) + Granule - 1) / Granule * Granule);

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var buffer in _free) buffer.Free();
            _free.Clear();
            _freeBytes = 0;
        }
    }
}
