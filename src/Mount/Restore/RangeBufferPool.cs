using StashMount.Repository;

namespace StashMount.Mount.Restore;

/// <summary>
/// Page-aligned buffers for the restore's pack ranges, one per reader, reused from range to range. Each range is
/// placed in its buffer so that its address and its offset in the pack agree modulo a page: the local backend then
/// reads it with O_DIRECT straight from the disk (DirectRangeRead) instead of copying it out of the page cache (about
/// half a CPU second per GiB here). Pooled managed arrays have no such alignment, so every range was read buffered.
/// Ranges longer than the buffers are read into pooled arrays by the caller.
/// </summary>
public sealed class RangeBufferPool(int rangeCapacity) : IDisposable
{
    private const int Page = 4096;
    private readonly Stack<PageBuffer> _free = new();
    private bool _disposed;

    /// <summary>
    /// A buffer for the <paramref name="length"/> bytes at <paramref name="offset"/> of a file, and in
    /// <paramref name="destination"/> the part of it to read them into; null when the range is longer than the buffers.
    /// </summary>
    public PageBuffer? TryRent(long offset, int length, out Memory<byte> destination)
    {
        destination = default;
        if (length > rangeCapacity)
            return null;
        PageBuffer? buffer = null;
        lock (_free)
            _free.TryPop(out buffer);
        buffer ??= new PageBuffer(rangeCapacity + Page);
        destination = buffer.Memory.Slice((int)(offset % Page), length);
        return buffer;
    }

    public void Return(PageBuffer buffer)
    {
        lock (_free)
        {
            if (!_disposed)
            {
                _free.Push(buffer);
                return;
            }
        }
        ((IDisposable)buffer).Dispose();
    }

    /// <summary>Frees the buffers given back; one returned later is freed on its return.</summary>
    public void Dispose()
    {
        lock (_free)
        {
            _disposed = true;
            while (_free.TryPop(out var buffer))
                ((IDisposable)buffer).Dispose();
        }
    }
}
