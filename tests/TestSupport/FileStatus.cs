using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace StashMount.TestSupport;

/// <summary>
/// lstat with nanosecond times and xattrs, through statx(2) and l*xattr(2): .NET exposes neither nanoseconds nor
/// xattrs, and statx's layout is the same on every architecture (unlike struct stat).
/// </summary>
public sealed partial record FileStatus(uint Mode, uint Uid, uint Gid, ulong Size, ulong Inode, uint Links,
    long AtimeSeconds, uint AtimeNanoseconds, long MtimeSeconds, uint MtimeNanoseconds, uint RdevMajor, uint RdevMinor)
{
    public const uint TypeMask = 0xF000, Directory = 0x4000, Regular = 0x8000, Symlink = 0xA000, Fifo = 0x1000, CharDevice = 0x2000, BlockDevice = 0x6000;

    public uint Type => Mode & TypeMask;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxNative(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint LListXattrNative(string path, [Out] byte[]? buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint LGetXattrNative(string path, string name, [Out] byte[]? buffer, nuint size);

    public static FileStatus Of(string path)
    {
        const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100;
        var b = new byte[256];
        if (StatxNative(AtFdCwd, path, AtSymlinkNoFollow, 0xFFF, b) != 0)
            throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        ReadOnlySpan<byte> s = b;
        return new FileStatus(
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(s[28..]),
            Uid: BinaryPrimitives.ReadUInt32LittleEndian(s[20..]),
            Gid: BinaryPrimitives.ReadUInt32LittleEndian(s[24..]),
            Size: BinaryPrimitives.ReadUInt64LittleEndian(s[40..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(s[32..]),
            Links: BinaryPrimitives.ReadUInt32LittleEndian(s[16..]),
            AtimeSeconds: BinaryPrimitives.ReadInt64LittleEndian(s[64..]),
            AtimeNanoseconds: BinaryPrimitives.ReadUInt32LittleEndian(s[72..]),
            MtimeSeconds: BinaryPrimitives.ReadInt64LittleEndian(s[112..]),
            MtimeNanoseconds: BinaryPrimitives.ReadUInt32LittleEndian(s[120..]),
            RdevMajor: BinaryPrimitives.ReadUInt32LittleEndian(s[128..]),
            RdevMinor: BinaryPrimitives.ReadUInt32LittleEndian(s[132..]));
    }

    /// <summary>The node's xattrs (not following symlinks), sorted by name.</summary>
    public static SortedDictionary<string, byte[]> ExtendedAttributes(string path)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var size = LListXattrNative(path, null, 0);
        if (size <= 0)
            return result;
        var names = new byte[size];
        size = LListXattrNative(path, names, (nuint)names.Length);
        if (size < 0)
            return result;
        foreach (var name in Encoding.UTF8.GetString(names, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var length = LGetXattrNative(path, name, null, 0);
            var value = new byte[Math.Max(0, length)];
            if (length > 0)
                LGetXattrNative(path, name, value, (nuint)value.Length);
            result[name] = value;
        }
        return result;
    }
}
