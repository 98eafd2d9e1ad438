using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>struct statvfs (112 bytes on x86_64 and aarch64).</summary>
[StructLayout(LayoutKind.Sequential, Size = 112)]
internal struct Statvfs
{
    public ulong BlockSize;
    public ulong FragmentSize;
    public ulong Blocks;
    public ulong BlocksFree;
    public ulong BlocksAvailable;
    public ulong Files;
    public ulong FilesFree;
    public ulong FilesAvailable;
    public ulong FileSystemId;
    public ulong Flags;
    public ulong NameMax;
}
