using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>struct fuse_conn_info (128 bytes, libfuse 3.14): negotiated in the init callback.</summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
internal struct FuseConnInfo
{
    public uint ProtoMajor;
    public uint ProtoMinor;
    public uint MaxWrite;
    public uint MaxRead;
    public uint MaxReadahead;
    public uint Capable;
    public uint Want;
    public uint MaxBackground;
    public uint CongestionThreshold;
    public uint TimeGranularity;

    public const uint CapAsyncRead = 1u << 0;
    public const uint CapAutoInvalData = 1u << 12;
    public const uint CapReaddirplus = 1u << 13;
    public const uint CapReaddirplusAuto = 1u << 14;
    public const uint CapParallelDirops = 1u << 18;
    public const uint CapCacheSymlinks = 1u << 23;
}
