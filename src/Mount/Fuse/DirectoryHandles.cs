using System.Collections.Concurrent;

namespace StashMount.Mount.Fuse;

/// <summary>
/// Open directory handles and their listings. The listing is fetched once per handle (on the first readdir) and
/// kept until releasedir, so a large directory read in many pages is listed once and stays consistent.
/// </summary>
internal sealed class DirectoryHandles
{
    private readonly ConcurrentDictionary<ulong, Handle> _open = new();
    private long _next;

    private sealed class Handle(ulong inode)
    {
        public ulong Inode { get; } = inode;
        public Task<IReadOnlyList<FuseDirectoryEntry>>? Listing;
    }

    public ulong Open(ulong inode)
    {
        var id = (ulong)Interlocked.Increment(ref _next);
        _open[id] = new Handle(inode);
        return id;
    }

    public ValueTask<IReadOnlyList<FuseDirectoryEntry>> ListingAsync(ulong id, FuseFileSystem fileSystem, CancellationToken cancellationToken)
    {
        if (!_open.TryGetValue(id, out var handle))
            throw new FuseException(Errno.EBADF);
        var listing = Volatile.Read(ref handle.Listing);
        if (listing is null)
        {
            var fresh = fileSystem.ListDirectoryAsync(handle.Inode, cancellationToken).AsTask();
            listing = Interlocked.CompareExchange(ref handle.Listing, fresh, null) ?? fresh;
        }
        return new ValueTask<IReadOnlyList<FuseDirectoryEntry>>(listing);
    }

    public void Release(ulong id) => _open.TryRemove(id, out _);
}
