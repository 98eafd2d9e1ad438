using StashMount.Repository;

namespace StashMount.Mount.Restore;

/// <summary>
/// Page-aligned buffers for the restore's pack ranges, one per reader, reused from range to range. Each range is
/// placed in its buffer so that its address and its offset in the pack agree modulo a page: the local backend then
/// reads it with O_DIRECT straight from the disk (DirectRangeRead) instead of copying it out of the page cache (about
/// half a CPU second per GiB here). Pooled managed arrays have no such alignment, so every range was read buffered.
/// Ranges up to <c>largeCapacity</c> (a single blob may be longer than a range is cut: chunks go up to 8 MiB) get a
/// buffer of that size, made only when such a range comes; longer ones are read into pooled arrays by the caller.
/// </summary>
public sealed class RangeBufferPool(int rangeCapacity, int largeCapacity = 0) : IDisposable
{
    private const int Page = 4096;
    private readonly Stack<PageBuffer> _free = new();
    private readonly Stack<PageBuffer> _freeLarge = new();
    private bool _disposed;

    /// <summary>
    /// A buffer for the <paramref name="length"/> bytes at <paramref name="offset"/> of a file, and in
    /// <paramref name="destination"/> the part of it to read them into; null when the range is longer than the buffers.
    /// </summary>
    public PageBuffer? TryRent(long offset, int length, out Memory<byte> destination)
    {
        destination = default;
        var large = length > rangeCapacity;
        if (large && length > largeCapacity)
            return null;
        PageBuffer? buffer = null;
        lock (_free)
            (large ? _freeLarge : _free).TryPop(out buffer);
        buffer ??= new PageBuffer((large ? largeCapacity : rangeCapacity) + Page);
        destination = buffer.Memory.Slice((int)(offset % Page), length);
        return buffer;
    }

    public void Return(PageBuffer buffer)
    {
        lock (_free)
        {
            if (!_disposed)
            {
                (buffer.Capacity > rangeCapacity + Page ? _freeLarge : _free).Push(buffer);
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
            while (_free.TryPop(out var buffer) || _freeLarge.TryPop(out buffer))
                ((IDisposable)buffer).Dispose();
        }
    }
}
