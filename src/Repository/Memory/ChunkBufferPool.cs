using System.Buffers;
using StashMount.Repository.Chunker;

namespace StashMount.Repository;

/// <summary>
/// The pool of chunk buffers (the chunker's maximum chunk size, <see cref="ContentDefinedChunker.MaxSize"/>): pinned
/// arrays whose memory is populated at once, on transparent huge pages where the kernel has them, and kept for
/// reuse. From <see cref="ArrayPool{T}.Shared"/> they were fresh arrays whose 4 KiB pages each faulted on their
/// first write: cp of 1 GiB into a fresh writable mount took 37,000-57,000 page faults, ~90% of them copying the
/// written bytes into chunks; now 17,000-39,000, and 0.3-0.5 s less daemon CPU (see <see cref="AnonymousPages.AllocateHuge"/>
/// for what a fresh page costs on this project's VMs).
/// Smaller requests, and arrays that are not this pool's, go to <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
public sealed unsafe class ChunkBufferPool : ArrayPool<byte>
{
    /// <summary>Requests above this size get a chunk buffer.</summary>
    public const int SmallLimit = 1024 * 1024;

    /// <summary>Free chunk buffers kept; the ingestion pipeline holds about a dozen at once.</summary>
    private const int Retained = 24;

    public static new ChunkBufferPool Shared { get; } = new();

    private readonly HashSet<byte[]> _ours = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<byte[]> _free = new();
    private readonly Lock _lock = new();

    private ChunkBufferPool()
    {
    }

    public override byte[] Rent(int minimumLength)
    {
        if (minimumLength <= SmallLimit || minimumLength > ContentDefinedChunker.MaxSize)
            return ArrayPool<byte>.Shared.Rent(minimumLength);
        lock (_lock)
        {
            if (_free.TryPop(out var free))
                return free;
        }
        var buffer = Allocate();
        lock (_lock)
            _ours.Add(buffer);
        return buffer;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        lock (_lock)
        {
            if (_ours.Contains(array))
            {
                if (_free.Count < Retained)
                    _free.Push(array);
                else
                    _ours.Remove(array); // the collector takes it back
                return;
            }
        }
        ArrayPool<byte>.Shared.Return(array, clearArray);
    }

    // Pinned, so the advice and the populated pages stay with the array's memory.
    private static byte[] Allocate()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ContentDefinedChunker.MaxSize, pinned: true);
        fixed (byte* start = buffer)
        {
            var first = ((nuint)start + (nuint)Environment.SystemPageSize - 1) & ~(nuint)(Environment.SystemPageSize - 1);
            var end = ((nuint)start + (nuint)buffer.Length) & ~(nuint)(Environment.SystemPageSize - 1);
            var hugeFirst = ((nuint)start + AnonymousPages.HugePageSize - 1) & ~(nuint)(AnonymousPages.HugePageSize - 1);
            var hugeEnd = ((nuint)start + (nuint)buffer.Length) & ~(nuint)(AnonymousPages.HugePageSize - 1);
            if (hugeEnd > hugeFirst)
                AnonymousPages.AdviseHugePages((byte*)hugeFirst, hugeEnd - hugeFirst, huge: true);
            if (end > first)
                AnonymousPages.Populate((byte*)first, end - first);
        }
        return buffer;
    }
}
