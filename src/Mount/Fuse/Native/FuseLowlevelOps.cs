using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>
/// struct fuse_lowlevel_ops of libfuse 3.14: 44 function pointers in declaration order (352 bytes, slot i at 8*i).
/// Slots left null give the kernel ENOSYS. Pointer arguments: req is fuse_req_t, fi is struct fuse_file_info*, names
/// are NUL-terminated bytes; mode_t is uint, dev_t ulong, off_t long, size_t nuint (x86_64 and aarch64 alike).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 352)]
internal unsafe struct FuseLowlevelOps
{
    public delegate* unmanaged<nint, FuseConnInfo*, void> Init;
    public delegate* unmanaged<nint, void> Destroy;
    public delegate* unmanaged<nint, ulong, byte*, void> Lookup;
    public delegate* unmanaged<nint, ulong, ulong, void> Forget;
    public delegate* unmanaged<nint, ulong, byte*, void> GetAttr;
    public delegate* unmanaged<nint, ulong, byte*, int, byte*, void> SetAttr;
    public delegate* unmanaged<nint, ulong, void> ReadLink;
    public delegate* unmanaged<nint, ulong, byte*, uint, ulong, void> MkNod;
    public delegate* unmanaged<nint, ulong, byte*, uint, void> MkDir;
    public delegate* unmanaged<nint, ulong, byte*, void> Unlink;
    public delegate* unmanaged<nint, ulong, byte*, void> RmDir;
    public delegate* unmanaged<nint, byte*, ulong, byte*, void> Symlink;
    public delegate* unmanaged<nint, ulong, byte*, ulong, byte*, uint, void> Rename;
    public delegate* unmanaged<nint, ulong, ulong, byte*, void> Link;
    public delegate* unmanaged<nint, ulong, byte*, void> Open;
    public delegate* unmanaged<nint, ulong, nuint, long, byte*, void> Read;
    public delegate* unmanaged<nint, ulong, byte*, nuint, long, byte*, void> Write;
    public delegate* unmanaged<nint, ulong, byte*, void> Flush;
    public delegate* unmanaged<nint, ulong, byte*, void> Release;
    public delegate* unmanaged<nint, ulong, int, byte*, void> Fsync;
    public delegate* unmanaged<nint, ulong, byte*, void> OpenDir;
    public delegate* unmanaged<nint, ulong, nuint, long, byte*, void> ReadDir;
    public delegate* unmanaged<nint, ulong, byte*, void> ReleaseDir;
    public delegate* unmanaged<nint, ulong, int, byte*, void> FsyncDir;
    public delegate* unmanaged<nint, ulong, void> StatFs;
    public delegate* unmanaged<nint, ulong, byte*, byte*, nuint, int, void> SetXattr;
    public delegate* unmanaged<nint, ulong, byte*, nuint, void> GetXattr;
    public delegate* unmanaged<nint, ulong, nuint, void> ListXattr;
    public delegate* unmanaged<nint, ulong, byte*, void> RemoveXattr;
    public void* Access;
    public delegate* unmanaged<nint, ulong, byte*, uint, byte*, void> Create;
    public void* GetLk;
    public void* SetLk;
    public void* Bmap;
    public void* Ioctl;
    public void* Poll;
    public void* WriteBuf;
    public void* RetrieveReply;
    public delegate* unmanaged<nint, nuint, byte*, void> ForgetMulti;
    public void* Flock;
    public void* Fallocate;
    public delegate* unmanaged<nint, ulong, nuint, long, byte*, void> ReadDirPlus;
    public void* CopyFileRange;
    public void* Lseek;
}
