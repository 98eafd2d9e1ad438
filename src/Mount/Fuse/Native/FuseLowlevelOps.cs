using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>
/// struct fuse_lowlevel_ops of libfuse 3.14: 44 function pointers in declaration order (352 bytes). Slots this
/// read-only filesystem does not implement stay null, so the kernel gets ENOSYS (or EROFS for writes on a ro mount).
/// Pointer arguments: req is fuse_req_t, fi is struct fuse_file_info*, names are NUL-terminated bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 352)]
internal unsafe struct FuseLowlevelOps
{
    public delegate* unmanaged<nint, FuseConnInfo*, void> Init;
    public delegate* unmanaged<nint, void> Destroy;
    public delegate* unmanaged<nint, ulong, byte*, void> Lookup;
    public delegate* unmanaged<nint, ulong, ulong, void> Forget;
    public delegate* unmanaged<nint, ulong, byte*, void> GetAttr;
    public void* SetAttr;
    public delegate* unmanaged<nint, ulong, void> ReadLink;
    public void* MkNod;
    public void* MkDir;
    public void* Unlink;
    public void* RmDir;
    public void* Symlink;
    public void* Rename;
    public void* Link;
    public delegate* unmanaged<nint, ulong, byte*, void> Open;
    public delegate* unmanaged<nint, ulong, nuint, long, byte*, void> Read;
    public void* Write;
    public void* Flush;
    public delegate* unmanaged<nint, ulong, byte*, void> Release;
    public void* Fsync;
    public delegate* unmanaged<nint, ulong, byte*, void> OpenDir;
    public delegate* unmanaged<nint, ulong, nuint, long, byte*, void> ReadDir;
    public delegate* unmanaged<nint, ulong, byte*, void> ReleaseDir;
    public void* FsyncDir;
    public delegate* unmanaged<nint, ulong, void> StatFs;
    public void* SetXattr;
    public delegate* unmanaged<nint, ulong, byte*, nuint, void> GetXattr;
    public delegate* unmanaged<nint, ulong, nuint, void> ListXattr;
    public void* RemoveXattr;
    public void* Access;
    public void* Create;
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
