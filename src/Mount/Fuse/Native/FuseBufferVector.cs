using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>struct fuse_bufvec holding one memory buffer: count, idx, off, then the struct fuse_buf.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseBufferVector
{
    public nuint Count;
    public nuint Index;
    public nuint Offset;
    public FuseBuffer Buffer;

    public static FuseBufferVector Of(void* memory, int length) =>
        new() { Count = 1, Buffer = new FuseBuffer { Size = (nuint)length, Memory = (byte*)memory, FileDescriptor = -1 } };
}
