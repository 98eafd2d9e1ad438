using System.Buffers;

namespace StashMount.Repository;

/// <summary>
/// Page-aligned native memory (<see cref="AnonymousPages"/>) handed out as <see cref="Memory{T}"/>. Page
/// alignment lets a local backend write the bytes with O_DIRECT, straight from this memory to the disk,
/// instead of copying them into the page cache first; and the pages come populated in one call instead of a
/// fault per 4 KiB; a whole number of huge pages is backed by huge pages where the kernel has them
/// (<see cref="AnonymousPages.AllocateHuge"/>): a pack is written by AES and read by SHA-256 and the disk, and
/// 25 MiB of fresh 4 KiB pages per pack buffer cost more than its one zeroing per 2 MiB. Freed on <see cref="IDisposable.Dispose"/>; no finalizer, as a span may still point into it.
/// </summary>
public sealed unsafe class PageBuffer : MemoryManager<byte>
{
    private byte* _pointer;

    public PageBuffer(int capacity) : this(capacity, capacity)
    {
    }

    /// <param name="capacity">Bytes of the buffer.</param>
    /// <param name="populated">
    /// Leading bytes populated at once when the buffer is whole huge pages (see <see cref="AnonymousPages.AllocateHuge(nuint, nuint)"/>);
    /// the rest is backed as it is first written.
    /// </param>
    public PageBuffer(int capacity, int populated)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _pointer = capacity % AnonymousPages.HugePageSize == 0
            ? AnonymousPages.AllocateHuge((nuint)capacity, (nuint)Math.Clamp(populated, 0, capacity))
            : AnonymousPages.Allocate((nuint)capacity);
    }

    public int Capacity { get; }

    public override Span<byte> GetSpan() =>
        _pointer == null ? throw new ObjectDisposedException(nameof(PageBuffer)) : new Span<byte>(_pointer, Capacity);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (_pointer == null)
            return;
        AnonymousPages.Free(_pointer, (nuint)Capacity);
        _pointer = null;
    }
}
