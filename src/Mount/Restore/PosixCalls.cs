using System.Runtime.InteropServices;

namespace StashMount.Mount.Restore;

/// <summary>
/// The libc calls restore needs that .NET does not offer: owner without following symlinks, nanosecond
/// timestamps on symlinks, xattrs, fifos, device nodes, hard links and symlinks with verbatim targets.
/// Each returns 0 or the errno.
/// </summary>
internal static partial class PosixCalls
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChownNative(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ChmodNative(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UtimensatNative(int dirfd, string path, [In] TimeSpec[] times, int flags);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LSetXattrNative(string path, string name, byte[] value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkfifoNative(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MknodNative(string path, uint mode, ulong device);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkNative(string existing, string path);

    [LibraryImport("libc", EntryPoint = "symlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SymlinkNative(string target, string path);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuidNative();

    public const int EPerm = 1;

    public static bool IsRoot => GetEuidNative() == 0;

    public static int LChown(string path, uint uid, uint gid) => Check(LChownNative(path, uid, gid));

    public static int Chmod(string path, uint mode) => Check(ChmodNative(path, mode));

    public static int SetTimes(string path, long atimeSeconds, long atimeNanoseconds, long mtimeSeconds, long mtimeNanoseconds) =>
        Check(UtimensatNative(AtFdCwd, path,
            [new TimeSpec { Seconds = atimeSeconds, Nanoseconds = atimeNanoseconds }, new TimeSpec { Seconds = mtimeSeconds, Nanoseconds = mtimeNanoseconds }],
            AtSymlinkNoFollow));

    public static int SetXattr(string path, string name, byte[] value) => Check(LSetXattrNative(path, name, value, (nuint)value.Length, 0));

    public static int MakeFifo(string path, uint mode) => Check(MkfifoNative(path, mode));

    public static int MakeNode(string path, uint mode, ulong device) => Check(MknodNative(path, mode, device));

    public static int Link(string existing, string path) => Check(LinkNative(existing, path));

    public static int Symlink(string target, string path) => Check(SymlinkNative(target, path));

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static int Check(int result) => result == 0 ? 0 : Marshal.GetLastPInvokeError();
}
