using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>The few libc calls the mount needs that .NET does not expose.</summary>
internal static unsafe partial class LibC
{
    internal const int MNT_DETACH = 2;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int umount2(byte* target, int flags);

    /// <summary>Formats libfuse's log messages; a va_list parameter is passed as a pointer on x86_64 and aarch64.</summary>
    [LibraryImport("libc")]
    internal static partial int vsnprintf(byte* buffer, nuint size, byte* format, nint args);
}
