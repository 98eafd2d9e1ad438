using System.Runtime.InteropServices;

namespace StashMount.Repository;

/// <summary>
/// Page-aligned memory straight from the kernel (mmap/munmap). Not malloc: glibc keeps freed megabyte blocks
/// in per-thread arenas once its dynamic mmap threshold has grown, so a mount that recycles blob buffers from
/// many pool threads kept growing its RSS; munmap gives the pages back at once. The pages are populated by the
/// mmap call itself: every buffer is written whole right away, and one call is far cheaper than a page fault per
/// 4 KiB (a cold 512 MiB read took 158,000 faults, a quarter of the daemon's CPU time).
/// Used for the mount's blob buffers and for scrypt's large table.
/// </summary>
public static unsafe partial class AnonymousPages
{
    private const int ProtRead = 1, ProtWrite = 2, MapPrivate = 2, MapAnonymous = 0x20, MapPopulate = 0x8000;

    public static byte* Allocate(nuint length)
    {
        var p = mmap(null, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapPopulate, -1, 0);
        if (p == (void*)-1)
            throw new OutOfMemoryException($"mmap of {length} bytes failed (errno {Marshal.GetLastPInvokeError()})");
        return (byte*)p;
    }

    public static void Free(byte* pointer, nuint length) => munmap(pointer, length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc")]
    private static partial int munmap(void* address, nuint length);
}
