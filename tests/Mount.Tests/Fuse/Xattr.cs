using System.Runtime.InteropServices;
using System.Text;

namespace StashMount.Mount.Tests.Fuse;

/// <summary>lgetxattr/llistxattr from libc: System.IO has no xattr API.</summary>
internal static unsafe partial class Xattr
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint lgetxattr(string path, string name, byte* value, nuint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint llistxattr(string path, byte* list, nuint size);

    public static byte[]? Get(string path, string name)
    {
        var buffer = new byte[65536];
        fixed (byte* p = buffer)
        {
            var n = lgetxattr(path, name, p, (nuint)buffer.Length);
            return n < 0 ? null : buffer[..(int)n];
        }
    }

    public static string[] List(string path)
    {
        var buffer = new byte[65536];
        fixed (byte* p = buffer)
        {
            var n = llistxattr(path, p, (nuint)buffer.Length);
            if (n < 0) throw new IOException($"llistxattr failed: errno {Marshal.GetLastPInvokeError()}");
            return Encoding.UTF8.GetString(buffer, 0, (int)n).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
