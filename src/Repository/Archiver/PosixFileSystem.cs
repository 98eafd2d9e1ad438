using System.Runtime.InteropServices;
using System.Text;

namespace StashMount.Repository.Archiver;

/// <summary>
/// lstat (via statx), readlink and the l*xattr calls. .NET exposes neither inode, device, link count,
/// nanosecond ctime nor xattrs, and restic records all of them in a node, so these are bound by hand.
/// </summary>
internal static unsafe partial class PosixFileSystem
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int ERANGE = 34;
    private const int ENODATA = 61;

    [StructLayout(LayoutKind.Sequential)]
    private struct StatxTimestamp
    {
        public long Seconds;
        public uint Nanoseconds;
        private int _reserved;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Statx
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
        private ushort _spare0;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public StatxTimestamp AccessTime;
        public StatxTimestamp BirthTime;
        public StatxTimestamp ChangeTime;
        public StatxTimestamp ModifyTime;
        public uint RawDeviceMajor;
        public uint RawDeviceMinor;
        public uint DeviceMajor;
        public uint DeviceMinor;
        private fixed ulong _spare2[14];
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxCall(int directoryFd, string path, int flags, uint mask, Statx* result);

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ListXattr(string path, byte* list, nint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetXattr(string path, byte* name, byte* value, nint size);

    /// <summary>lstat; throws <see cref="IOException"/> with the OS reason.</summary>
    public static FileStatus LStat(string path)
    {
        Statx s;
        if (StatxCall(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, &s) != 0)
            throw Error(path);
        return new FileStatus(s.Mode, s.Inode, MakeDevice(s.DeviceMajor, s.DeviceMinor), s.Links, s.Uid, s.Gid,
            MakeDevice(s.RawDeviceMajor, s.RawDeviceMinor), (long)s.Size,
            s.AccessTime.Seconds, s.AccessTime.Nanoseconds, s.ModifyTime.Seconds, s.ModifyTime.Nanoseconds,
            s.ChangeTime.Seconds, s.ChangeTime.Nanoseconds);
    }

    /// <summary>glibc's makedev encoding, which is what Go's Stat_t (and so restic) stores.</summary>
    public static ulong MakeDevice(ulong major, ulong minor) =>
        ((major & 0xfffff000UL) << 32) | ((major & 0xfffUL) << 8) | ((minor & 0xffffff00UL) << 12) | (minor & 0xffUL);

    /// <summary>The entry's extended attributes in listxattr order; none when the file system has no xattr support.</summary>
    public static List<(string Name, byte[] Value)> ListExtendedAttributes(string path)
    {
        var result = new List<(string, byte[])>();
        var size = ListXattr(path, null, 0);
        if (size <= 0)
            return result;
        var names = new byte[size];
        fixed (byte* p = names)
            size = ListXattr(path, p, names.Length);
        if (size < 0)
            return result;
        var start = 0;
        for (var i = 0; i < size; i++)
        {
            if (names[i] != 0)
                continue;
            if (i > start)
            {
                var name = names.AsSpan(start, i - start).ToArray();
                var value = GetValue(path, name);
                if (value != null)
                    result.Add((Encoding.UTF8.GetString(name), value));
            }
            start = i + 1;
        }
        return result;
    }

    private static byte[]? GetValue(string path, byte[] name)
    {
        var zeroTerminated = new byte[name.Length + 1];
        name.CopyTo(zeroTerminated, 0);
        fixed (byte* n = zeroTerminated)
        {
            for (var attempt = 0; attempt < 4; attempt++)
            {
                var size = GetXattr(path, n, null, 0);
                if (size < 0)
                    return null;
                var value = new byte[size];
                fixed (byte* v = value)
                {
                    var got = GetXattr(path, n, v, value.Length);
                    if (got >= 0)
                        return got == value.Length ? value : value[..(int)got];
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == ENODATA)
                        return null;
                    if (errno != ERANGE)
                        return null;
                }
            }
        }
        return null;
    }

    private static IOException Error(string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
