using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>
/// struct fuse_buf: size, flags, mem, fd, pos (40 bytes in libfuse 3.14). libfuse 3.17 appends mem_size; the
/// trailing field keeps a newer library reading zeroes there and writing within this struct.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseBuffer
{
    public nuint Size;
    public int Flags;
    public byte* Memory;
    public int FileDescriptor;
    public long Position;
    public nuint MemorySize;
}
