using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StashMount.Backends.Local;

/// <summary>
/// Two page-aligned 4 KiB pages for the partly covered edges of an O_DIRECT read (<see cref="DirectRangeRead.ReadWholeAsync"/>),
/// in a pinned array that is reused: pinned arrays are collected only with generation 2, so one per read would pile up.
/// </summary>
internal sealed unsafe class BouncePages
{
    private const int Kept = 32;
    private static readonly ConcurrentQueue<BouncePages> Free = new();
    private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(3 * DirectRead.Alignment, pinned: true);
    private readonly int _start;

    private BouncePages()
    {
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _start = (int)((DirectRead.Alignment - address % DirectRead.Alignment) % DirectRead.Alignment);
    }

    public Memory<byte> Page(int index) => _array.AsMemory(_start + index * DirectRead.Alignment, DirectRead.Alignment);

    public static BouncePages Rent() => Free.TryDequeue(out var pages) ? pages : new BouncePages();

    public static void Return(BouncePages pages)
    {
        if (Free.Count < Kept)
            Free.Enqueue(pages);
    }
}
