using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>struct fuse_args (24 bytes): built with fuse_opt_add_arg, freed with fuse_opt_free_args.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseArgs
{
    public int Argc;
    public byte** Argv;
    public int Allocated;
}
