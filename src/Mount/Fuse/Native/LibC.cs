using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>The few libc calls the mount needs that .NET does not expose.</summary>
internal static unsafe partial class LibC
{
    internal const int MNT_DETACH = 2;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int umount2(byte* target, int flags);

    internal const int O_CLOEXEC = 0x80000;
    internal const int O_NOFOLLOW = 0x20000;
    internal const int O_CREAT = 0x40;
    internal const uint RENAME_NOREPLACE = 1;
    internal const int AT_FDCWD = -100;

    /// <summary>
    /// open(2) with the kernel's flags as they are. Mono.Posix translates OpenFlags bit by bit and knows no
    /// O_NOATIME, O_PATH or O_TMPFILE, so a FUSE open's flags could not be passed through it exactly.
    /// </summary>
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, uint mode);

    /// <summary>renameat2(2), for RENAME_NOREPLACE: Mono.Posix has no binding for it.</summary>
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int renameat2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint write(int descriptor, byte* buffer, nuint count);

    /// <summary>Formats libfuse's log messages; a va_list parameter is passed as a pointer on x86_64 and aarch64.</summary>
    [LibraryImport("libc")]
    internal static partial int vsnprintf(byte* buffer, nuint size, byte* format, nint args);

    /// <summary>Frees what libfuse malloc'ed for the caller (a request buffer of fuse_session_receive_buf).</summary>
    [LibraryImport("libc")]
    internal static partial void free(void* memory);
}
