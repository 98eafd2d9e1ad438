using StashMount.Mount.Fuse;

namespace StashMount.Mount.Tests.Fuse;

/// <summary>Serves an <see cref="InMemoryFileSystem"/> and counts the requests that reach it, to see what the kernel caches.</summary>
internal sealed class CountingFileSystem(InMemoryFileSystem inner, bool zeroMessageOpens) : FuseFileSystem
{
    private int _opens;
    private int _reads;
    private int _listings;

    public int Opens => Volatile.Read(ref _opens);

    public int Reads => Volatile.Read(ref _reads);

    public int Listings => Volatile.Read(ref _listings);

    public override ValueTask<FuseEntry?> LookupAsync(ulong parent, string name, CancellationToken cancellationToken) =>
        inner.LookupAsync(parent, name, cancellationToken);

    public override ValueTask<FuseAttributes> GetAttributesAsync(ulong inode, CancellationToken cancellationToken) =>
        inner.GetAttributesAsync(inode, cancellationToken);

    public override ValueTask<FuseOpenResult> OpenAsync(ulong inode, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opens);
        if (zeroMessageOpens)
            throw new FuseException(Errno.ENOSYS);
        return ValueTask.FromResult(new FuseOpenResult(1, KeepCache: true));
    }

    public override ValueTask<int> ReadAsync(ulong inode, ulong handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        if (zeroMessageOpens && handle != 0)
            throw new FuseException(Errno.EBADF);
        return inner.ReadAsync(inode, handle, offset, destination, cancellationToken);
    }

    public override ValueTask<IReadOnlyList<FuseDirectoryEntry>> ListDirectoryAsync(ulong inode, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _listings);
        return inner.ListDirectoryAsync(inode, cancellationToken);
    }

    public override bool CanCacheDirectory(ulong inode) => true;
}
