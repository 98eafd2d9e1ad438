using System.Runtime.InteropServices;
using Mono.Unix.Native;
using StashMount.Mount.Fuse;
using Errno = StashMount.Mount.Fuse.Errno;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Writable;

/// <summary>
/// The POSIX calls of the <c>new/</c> passthrough, through Mono.Posix (and LibC where it has no binding). A failure
/// becomes a <see cref="FuseException"/> with the real errno, so ENOSPC, ENOTEMPTY, EEXIST... reach the caller as they are.
/// </summary>
internal static unsafe class SpoolPosix
{
    public static FuseException LastError() => new(Marshal.GetLastPInvokeError());

    public static void Check(int result)
    {
        if (result < 0) throw LastError();
    }

    public static Stat LStat(string path)
    {
        Check(Syscall.lstat(path, out var stat));
        return stat;
    }

    public static bool TryLStat(string path, out Stat stat) => Syscall.lstat(path, out stat) == 0;

    public static Stat FStat(int descriptor)
    {
        Check(Syscall.fstat(descriptor, out var stat));
        return stat;
    }

    public static int Open(string path, int flags, uint mode)
    {
        var descriptor = LibC.open(path, flags | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, mode);
        Check(descriptor);
        return descriptor;
    }

    public static void Close(int descriptor) => Syscall.close(descriptor);

    /// <summary>pread until <paramref name="destination"/> is full or the file ends.</summary>
    public static int Read(int descriptor, Span<byte> destination, long offset)
    {
        var total = 0;
        fixed (byte* p = destination)
        {
            while (total < destination.Length)
            {
                var n = Syscall.pread(descriptor, p + total, (ulong)(destination.Length - total), offset + total);
                if (n < 0) throw LastError();
                if (n == 0) break;
                total += (int)n;
            }
        }
        return total;
    }

    /// <summary>pwrite all of <paramref name="data"/>; a short write that cannot go on (ENOSPC) returns what was written.</summary>
    public static int Write(int descriptor, ReadOnlySpan<byte> data, long offset)
    {
        var total = 0;
        fixed (byte* p = data)
        {
            while (total < data.Length)
            {
                var n = Syscall.pwrite(descriptor, p + total, (ulong)(data.Length - total), offset + total);
                if (n < 0)
                {
                    if (total > 0) break;
                    throw LastError();
                }
                total += (int)n;
            }
        }
        return total;
    }

    public static void Sync(int descriptor, bool dataOnly) => Check(dataOnly ? Syscall.fdatasync(descriptor) : Syscall.fsync(descriptor));

    public static void SetTimes(string? path, int descriptor, FuseTimestamp access, FuseTimestamp modification)
    {
        Timespec[] times =
        [
            new Timespec { tv_sec = access.Seconds, tv_nsec = access.Nanoseconds },
            new Timespec { tv_sec = modification.Seconds, tv_nsec = modification.Nanoseconds },
        ];
        Check(path is null ? Syscall.futimens(descriptor, times) : Syscall.utimensat(LibC.AT_FDCWD, path, times, AtFlags.AT_SYMLINK_NOFOLLOW));
    }

    /// <summary>Access and modification time of an open file set to now (ctime follows), as a create would have them.</summary>
    public static void SetTimesNow(int descriptor)
    {
        const long now = (1L << 30) - 1; // UTIME_NOW
        Timespec[] times = [new Timespec { tv_nsec = now }, new Timespec { tv_nsec = now }];
        Check(Syscall.futimens(descriptor, times));
    }

    public static string ReadLink(string path)
    {
        var buffer = new byte[4096];
        var n = Syscall.readlink(path, buffer);
        if (n < 0) throw LastError();
        return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)n);
    }

    public static byte[]? GetXattr(string path, string name)
    {
        if (Syscall.lgetxattr(path, name, out byte[] value) >= 0)
            return value;
        var error = LastError();
        return error.Errno == Errno.ENODATA ? null : throw error;
    }

    public static string[] ListXattrs(string path)
    {
        Check((int)Math.Max(int.MinValue, Syscall.llistxattr(path, out string[] names)));
        return names;
    }

    /// <summary>The process umask, read without changing it (umask(2) would race with other threads).</summary>
    public static uint ProcessUmask()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                    return Convert.ToUInt32(line[6..].Trim(), 8);
        }
        catch (IOException)
        {
        }
        return 0x12; // 022, the usual default
    }
}
