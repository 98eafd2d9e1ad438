namespace StashMount.Mount.Fuse;

/// <summary>
/// The kernel's page cache of the mounted filesystem. A filesystem that has a file's bytes before anyone asked
/// (fetched ahead with its neighbours) puts them there, so the reads that follow are served by the kernel
/// without a request.
/// </summary>
public interface IKernelPageCache
{
    /// <summary>Stores <paramref name="data"/> at <paramref name="offset"/> of a file; false when the kernel does
    /// not hold that inode (never looked up, or forgotten) or refused.</summary>
    bool Store(ulong inode, long offset, ReadOnlySpan<byte> data);
}
