using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StashMount.Backends.Local;

/// <summary>
/// Reads the page-aligned middle of a large range with O_DIRECT, so the storage writes straight into the caller's
/// memory: a buffered read first fills the page cache and then copies every byte (a cold 512 MiB read spent about
/// half a CPU second in that copy and the page cache's upkeep, O_DIRECT a few hundredths). Only possible when the
/// caller's memory lines up with the file offsets (its address and the offset agree modulo 4 KiB), which the mount's
/// read path arranges; anything else, and filesystems without O_DIRECT, read buffered as before.
/// .NET has no O_DIRECT open flag, hence open(2) here.
/// </summary>
public static unsafe partial class DirectRead
{
    /// <summary>Offsets, lengths and addresses are aligned to this (a page; a multiple of any block size in use).</summary>
    public const int Alignment = 4096;

    /// <summary>Smaller reads are not worth a second open.</summary>
    public const int MinimumBytes = 256 << 10;

    private const int ReadOnly = 0, CloseOnExec = 0x80000;

    // The flag's value differs between architectures (asm-generic vs x86).
    private static readonly int Direct = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;

    /// <summary>
    /// The part of <paramref name="destination"/> (read from file <paramref name="offset"/>) that can be read
    /// directly: it starts <paramref name="skip"/> bytes in and is <paramref name="length"/> bytes long (0: none).
    /// </summary>
    public static void Plan(long offset, Memory<byte> destination, out int skip, out int length)
    {
        skip = length = 0;
        if (destination.Length < MinimumBytes)
            return;
        using var pin = destination.Pin();
        var address = (long)pin.Pointer;
        if ((address - offset) % Alignment != 0)
            return;
        var start = AlignUp(offset);
        var end = (offset + destination.Length) & ~(long)(Alignment - 1);
        if (end - start < MinimumBytes)
            return;
        skip = (int)(start - offset);
        length = (int)(end - start);
    }

    private static long AlignUp(long value) => (value + Alignment - 1) & ~(long)(Alignment - 1);

    /// <summary>Opens <paramref name="path"/> for direct reads, or null when the filesystem does not allow it.</summary>
    public static SafeFileHandle? Open(string path)
    {
        var fd = open(path, ReadOnly | CloseOnExec | Direct);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);
}
