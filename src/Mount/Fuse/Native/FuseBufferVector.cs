using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>
/// struct fuse_bufvec holding one memory buffer: count, idx, off, then struct fuse_buf (size, flags, mem, fd, pos).
/// libfuse 3.17 appends mem_size to fuse_buf; the trailing zero field keeps a newer library reading zeroes there.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseBufferVector
{
    public nuint Count;
    public nuint Index;
    public nuint Offset;
    public nuint Size;
    public int Flags;
    public void* Memory;
    public int FileDescriptor;
    public long Position;
    public nuint MemorySize;

    public static FuseBufferVector Of(void* memory, int length) => new() { Count = 1, Size = (nuint)length, Memory = memory, FileDescriptor = -1 };
}
