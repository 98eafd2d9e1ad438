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
    private const int ProtRead = 1, ProtWrite = 2, MapPrivate = 2, MapAnonymous = 0x20, MapNoReserve = 0x4000, MapPopulate = 0x8000;

    public static byte* Allocate(nuint length)
    {
        var p = mmap(null, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapPopulate, -1, 0);
        if (p == (void*)-1)
            throw new OutOfMemoryException($"mmap of {length} bytes failed (errno {Marshal.GetLastPInvokeError()})");
        return (byte*)p;
    }

    /// <summary>The size of a transparent huge page on x86-64 and arm64 (4 KiB base pages).</summary>
    public const int HugePageSize = 2 << 20;

    /// <summary>
    /// As <see cref="Allocate"/>, for a whole number of <see cref="HugePageSize"/> pages, asking the kernel to back
    /// them with transparent huge pages (MADV_HUGEPAGE, then MADV_POPULATE_WRITE): one page-table entry and one
    /// zeroing per 2 MiB instead of 512 4 KiB pages to map, fault in and later unmap. On this project's VMs a blob
    /// buffer on fresh 4 KiB pages cost about three times the CPU of decrypting and hashing it on reused ones;
    /// on huge pages, about the same. Where huge pages are unavailable the memory is populated as 4 KiB pages.
    /// </summary>
    public static byte* AllocateHuge(nuint length) => AllocateHuge(length, length);

    /// <summary>
    /// As <see cref="AllocateHuge(nuint)"/>, populating only the first <paramref name="populated"/> bytes (rounded up
    /// to huge pages): the rest is backed by huge pages as it is first written, and never if it is not. On this
    /// project's VMs memory the process has not touched lately is the expensive kind (the host backs it again):
    /// populating a 26 MiB pack buffer took 0.14 s, most of it for the slack a pack rarely reaches.
    /// </summary>
    public static byte* AllocateHuge(nuint length, nuint populated)
    {
        if (length == 0 || length % HugePageSize != 0)
            throw new ArgumentException($"a whole number of {HugePageSize}-byte pages", nameof(length));
        var p = ReserveAligned(length);
        AdviseHugePages(p, length, true);
        Populate(p, Math.Min(length, (populated + HugePageSize - 1) & ~(nuint)(HugePageSize - 1)));
        return p;
    }

    /// <summary>
    /// Address space of <paramref name="length"/> bytes (a whole number of huge pages) starting on a huge-page
    /// boundary, not yet backed by memory: pages count in the RSS only once populated or written. With
    /// <paramref name="noReserve"/> (MAP_NORESERVE) the kernel does not charge the whole range against its overcommit
    /// limit: for address space reserved far beyond what will be used.
    /// </summary>
    public static byte* ReserveAligned(nuint length, bool noReserve = false)
    {
        if (length == 0 || length % HugePageSize != 0)
            throw new ArgumentException($"a whole number of {HugePageSize}-byte pages", nameof(length));
        // Only a 2 MiB-aligned range can be a huge page, and kernels before 6.7 do not align anonymous mappings: map
        // one page more and give back the unaligned head and the tail.
        var raw = (byte*)mmap(null, length + HugePageSize, ProtRead | ProtWrite, MapPrivate | MapAnonymous | (noReserve ? MapNoReserve : 0), -1, 0);
        if (raw == (byte*)-1)
            throw new OutOfMemoryException($"mmap of {length} bytes failed (errno {Marshal.GetLastPInvokeError()})");
        var p = (byte*)(((nuint)raw + HugePageSize - 1) & ~(nuint)(HugePageSize - 1));
        var head = (nuint)(p - raw);
        if (head > 0)
            munmap(raw, head);
        if (head < HugePageSize)
            munmap(p + length, HugePageSize - head);
        return p;
    }

    /// <summary>
    /// Whether the kernel may back the (page-aligned) range with transparent huge pages (MADV_HUGEPAGE) or must not
    /// (MADV_NOHUGEPAGE): a range only partly used must not, or a whole 2 MiB page becomes resident for its first byte.
    /// </summary>
    public static void AdviseHugePages(byte* pointer, nuint length, bool huge)
    {
        if (length > 0)
            _ = madvise(pointer, length, huge ? MadvHugePage : MadvNoHugePage);
    }

    /// <summary>Backs the (page-aligned) range with zeroed memory now, in one call instead of a page fault per page.</summary>
    public static void Populate(byte* pointer, nuint length)
    {
        if (length > 0 && madvise(pointer, length, MadvPopulateWrite) != 0)
            new Span<byte>(pointer, checked((int)length)).Clear(); // kernels before 5.14: fault the pages in by writing them
    }

    /// <summary>Gives the (page-aligned) range's memory back to the system; the addresses stay mapped and read as zeros.</summary>
    public static void Discard(byte* pointer, nuint length)
    {
        if (length > 0)
            _ = madvise(pointer, length, MadvDontNeed);
    }

    public static void Free(byte* pointer, nuint length) => munmap(pointer, length);

    private const int MadvDontNeed = 4, MadvHugePage = 14, MadvNoHugePage = 15, MadvPopulateWrite = 23;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(void* address, nuint length, int advice);

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc")]
    private static partial int munmap(void* address, nuint length);
}
