using System.Runtime.InteropServices;

namespace StashMount.Mount.Restore;

/// <summary>
/// Descriptor-level libc calls for restoring a file's content and metadata through one open descriptor. Bound by
/// hand because restore of many small files is bound by syscalls: .NET's File.OpenHandle adds an lseek per open
/// and .NET has no fchown/fchmod/fsetxattr/futimens, while each path-based call walks the path again.
/// Each returns 0 (or the descriptor) on success and the negated errno on failure.
/// </summary>
internal static partial class PosixFileCalls
{
    private const int OWriteOnly = 0x1;
    private const int OCreate = 0x40;
    private const int OTruncate = 0x200;
    private const int OExclusive = 0x80;
    private const int OCloseOnExec = 0x80000;
    private const int EIntr = 4, EInvalid = 22, ENoSystem = 38, EOpNotSupported = 95;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static unsafe partial nint PWriteNative(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int FTruncateNative(int fd, long length);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int FAllocateNative(int fd, int mode, long offset, long length);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int FChownNative(int fd, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FChmodNative(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FSetXattrNative(int fd, string name, byte[] value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static partial int FutimensNative(int fd, [In] TimeSpec[] times);

    /// <summary>Opens for writing; <paramref name="create"/> creates (mode 0600 until metadata is set) or truncates.</summary>
    public static int OpenForWrite(string path, bool create) =>
        Result(OpenNative(path, OWriteOnly | OCloseOnExec | (create ? OCreate | OTruncate : 0), 0x180));

    /// <summary>Creates a file that must not exist yet (O_EXCL), with <paramref name="mode"/> less the umask; -EEXIST when it does.</summary>
    public static int CreateExclusive(string path, uint mode) =>
        Result(OpenNative(path, OWriteOnly | OCloseOnExec | OCreate | OExclusive, mode));

    public const int EExist = 17;

    public static int Close(int fd) => Result(CloseNative(fd));

    public static int Truncate(int fd, long length) => Result(FTruncateNative(fd, length));

    /// <summary>
    /// Sets the size to <paramref name="length"/> with its blocks allocated (fallocate), or only the size (ftruncate)
    /// where the filesystem cannot allocate ahead. The content reads as zeros either way.
    /// </summary>
    public static int Preallocate(int fd, long length)
    {
        var errno = length > 0 ? Result(FAllocateNative(fd, 0, 0, length)) : -EOpNotSupported;
        return errno is -EOpNotSupported or -ENoSystem or -EInvalid ? Truncate(fd, length) : errno;
    }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public static unsafe int WriteAll(int fd, ReadOnlySpan<byte> data, long offset)
    {
        fixed (byte* start = data)
        {
            for (var done = 0; done < data.Length;)
            {
                var written = PWriteNative(fd, start + done, (nuint)(data.Length - done), offset + done);
                if (written < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EIntr)
                        continue;
                    return -errno;
                }
                done += (int)written;
            }
        }
        return 0;
    }

    public static int Chown(int fd, uint uid, uint gid) => Result(FChownNative(fd, uid, gid));

    public static int Chmod(int fd, uint mode) => Result(FChmodNative(fd, mode));

    public static int SetXattr(int fd, string name, byte[] value) => Result(FSetXattrNative(fd, name, value, (nuint)value.Length, 0));

    public static int SetTimes(int fd, long atimeSeconds, long atimeNanoseconds, long mtimeSeconds, long mtimeNanoseconds) =>
        Result(FutimensNative(fd, [new TimeSpec { Seconds = atimeSeconds, Nanoseconds = atimeNanoseconds }, new TimeSpec { Seconds = mtimeSeconds, Nanoseconds = mtimeNanoseconds }]));

    private static int Result(int result) => result >= 0 ? result : -Marshal.GetLastPInvokeError();
}
