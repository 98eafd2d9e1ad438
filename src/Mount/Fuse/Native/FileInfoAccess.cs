namespace StashMount.Mount.Fuse.Native;

/// <summary>
/// Reads and writes the struct fuse_file_info that libfuse passes in. Only fields whose place is the same in
/// libfuse 3.14 through 3.17 are touched: flags at 0, the bit word at 4 (direct_io bit 1, keep_cache bit 2),
/// fh at 16. cache_readdir moved from bit 6 to bit 7 in 3.15/3.16, so it is chosen from fuse_version().
/// Always change libfuse's own struct, never a copy: it is larger in newer versions.
/// </summary>
internal static unsafe class FileInfoAccess
{
    private const uint DirectIo = 1u << 1;
    private const uint KeepCache = 1u << 2;

    private static readonly uint CacheReaddir = LibFuse.fuse_version() is 315 or 316 ? 1u << 7 : 1u << 6;

    /// <summary>libfuse 3.14 passes 40 bytes; 3.17 grew the struct to 64.</summary>
    private const int LayoutSize = 40;
    private const int LargestLayoutSize = 64;

    public static byte[] Copy(byte* fi)
    {
        var copy = new byte[LargestLayoutSize];
        new ReadOnlySpan<byte>(fi, LibFuse.fuse_version() >= 317 ? LargestLayoutSize : LayoutSize).CopyTo(copy);
        return copy;
    }

    public static int OpenFlags(byte* fi) => *(int*)fi;

    public static ulong Handle(byte* fi) => fi == null ? 0 : *(ulong*)(fi + 16);

    public static void SetHandle(byte* fi, ulong handle) => *(ulong*)(fi + 16) = handle;

    public static void SetKeepCache(byte* fi) => *(uint*)(fi + 4) |= KeepCache;

    public static void SetDirectIo(byte* fi) => *(uint*)(fi + 4) |= DirectIo;

    public static void SetCacheReaddir(byte* fi) => *(uint*)(fi + 4) |= CacheReaddir;
}
