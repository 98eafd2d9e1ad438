using System.Collections.Concurrent;
using StashMount.Backends;
using StashMount.Mount.DataPath;
using StashMount.Mount.Fuse;
using StashMount.Repository;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// The read-only filesystem of a repository's snapshots. Snapshot content is immutable, so the kernel may cache
/// names, attributes, listings and file pages for a long time; the listing layer (which changes on refresh) gets
/// short timeouts. A read that hits a missing or corrupt blob fails with EIO, that read only.
/// </summary>
internal sealed class SnapshotFileSystem : FuseFileSystem
{
    private static readonly TimeSpan ContentTimeout = TimeSpan.FromHours(1);
    private static readonly TimeSpan ListingTimeout = TimeSpan.FromSeconds(1);

    private readonly InodeTable _inodes;
    private readonly DataPathOptions _options;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<ulong, OpenFile> _open = new();
    private readonly UnopenedFiles _unopened = new();
    private readonly SiblingPrefetch _siblings;
    private long _nextHandle;

    public SnapshotFileSystem(InodeTable inodes, DataPathOptions options, Action<string> log)
    {
        _inodes = inodes;
        _options = options;
        _log = log;
        _siblings = new SiblingPrefetch(options.SmallFileBytes, Math.Min(options.PrefetchBytes, options.SmallFileBatchBytes), options.SmallFileBatchFiles);
    }

    /// <summary>Open answers ENOSYS, so the kernel stops sending open and release (see <see cref="UnopenedFiles"/>).
    /// Only for a mount that is read-only as a whole: the kernel applies it to every file of the mount.</summary>
    public bool ZeroMessageOpens { get; init; }

    /// <summary>Bytes of pack files in the repository, for statfs (set at mount and on refresh).</summary>
    public long RepositoryBytes { get; set; }

    private FuseEntry EntryOf(MountNode node, bool inListing)
    {
        var entryTimeout = inListing ? ListingTimeout : ContentTimeout;
        return new FuseEntry(node.Attributes, entryTimeout, node.IsVolatile ? ListingTimeout : ContentTimeout);
    }

    public override async ValueTask<FuseEntry?> LookupAsync(ulong parent, string name, CancellationToken cancellationToken)
    {
        if (_inodes.Get(parent) is not DirectoryNode directory)
            throw new FuseException(Errno.ENOTDIR);
        var child = await Guard(directory, directory.LookupAsync(name, cancellationToken)).ConfigureAwait(false);
        return child is null ? null : EntryOf(child, directory.IsVolatile);
    }

    public override ValueTask<FuseAttributes> GetAttributesAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_inodes.Get(inode).Attributes);

    public override TimeSpan AttributeTimeout(ulong inode) => _inodes.Get(inode).IsVolatile ? ListingTimeout : ContentTimeout;

    public override ValueTask<string> ReadLinkAsync(ulong inode, CancellationToken cancellationToken) => _inodes.Get(inode) switch
    {
        VirtualSymlink link => ValueTask.FromResult(link.Target),
        TreeLeaf { Node.LinkTarget: { } target } => ValueTask.FromResult(target),
        _ => throw new FuseException(Errno.EINVAL),
    };

    public override ValueTask<FuseOpenResult> OpenAsync(ulong inode, CancellationToken cancellationToken)
    {
        var node = _inodes.Get(inode);
        if (node is DirectoryNode)
            throw new FuseException(Errno.EISDIR);
        if (node is not TreeFile file)
            throw new FuseException(Errno.EACCES);
        if (ZeroMessageOpens)
            throw new FuseException(Errno.ENOSYS);
        var handle = (ulong)Interlocked.Increment(ref _nextHandle);
        _open[handle] = NewOpenFile(file);
        _siblings.Opened(file, PageCache);
        return ValueTask.FromResult(new FuseOpenResult(handle, KeepCache: true));
    }

    private OpenFile NewOpenFile(TreeFile file)
    {
        try
        {
            return new OpenFile(file.ContentMap(), file.Context.Fetcher, _options.PrefetchBytes);
        }
        catch (FuseException e)
        {
            _log(e.Message);
            throw;
        }
    }

    /// <summary>The read state of an open handle, or (handle 0, zero-message opens) of the inode.</summary>
    private OpenFile FileFor(ulong inode, ulong handle, long offset, int size)
    {
        if (handle != 0)
            return _open.TryGetValue(handle, out var open) ? open : throw new FuseException(Errno.EBADF);
        if (_inodes.Get(inode) is not TreeFile file)
            throw new FuseException(Errno.EBADF);
        return _unopened.ForRead(inode, offset, size, () => NewOpenFile(file), () => _siblings.Opened(file, PageCache));
    }

    public override void Forget(ulong inode, ulong count) => _unopened.Forget(inode);

    public override ValueTask<int> ReadAsync(ulong inode, ulong handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var file = FileFor(inode, handle, offset, destination.Length);
        return Guard(_inodes.Get(inode), file.ReadAsync(offset, destination, cancellationToken));
    }

    /// <summary>Answers with slices of the decrypted blobs themselves (no copy into a reply buffer).</summary>
    public override ValueTask<IFuseReadData> ReadDataAsync(ulong inode, ulong handle, long offset, int size, CancellationToken cancellationToken)
    {
        var file = FileFor(inode, handle, offset, size);
        return Guard(_inodes.Get(inode), AsReadData(file.ReadSlicesAsync(offset, size, cancellationToken)));

        static ValueTask<IFuseReadData> AsReadData(ValueTask<BlobSlices> read) =>
            read.IsCompletedSuccessfully ? ValueTask.FromResult<IFuseReadData>(read.Result) : Later(read);

        static async ValueTask<IFuseReadData> Later(ValueTask<BlobSlices> read) => await read.ConfigureAwait(false);
    }

    public override void Release(ulong inode, ulong handle) => _open.TryRemove(handle, out _);

    public override async ValueTask<IReadOnlyList<FuseDirectoryEntry>> ListDirectoryAsync(ulong inode, CancellationToken cancellationToken)
    {
        if (_inodes.Get(inode) is not DirectoryNode directory)
            throw new FuseException(Errno.ENOTDIR);
        var children = await Guard(directory, directory.ChildrenAsync(cancellationToken)).ConfigureAwait(false);
        var entries = new FuseDirectoryEntry[children.Count];
        for (var i = 0; i < children.Count; i++)
            entries[i] = new FuseDirectoryEntry(children[i].Name, EntryOf(children[i].Node, directory.IsVolatile));
        if (directory is TreeDirectory tree)
            _siblings.Listed(tree, PageCache);
        return entries;
    }

    public override void ListingDelivered(ulong inode)
    {
        if (_inodes.Get(inode) is TreeDirectory tree && PageCache is { } pageCache)
            _siblings.Delivered(tree, pageCache);
    }

    public override bool CanCacheDirectory(ulong inode) => _inodes.Get(inode) is TreeDirectory;

    public override ValueTask<byte[]?> GetExtendedAttributeAsync(ulong inode, string name, CancellationToken cancellationToken)
    {
        foreach (var attribute in ExtendedAttributesOf(_inodes.Get(inode)))
            if (attribute.Name == name)
                return ValueTask.FromResult<byte[]?>(attribute.Value);
        return ValueTask.FromResult<byte[]?>(null);
    }

    public override ValueTask<IReadOnlyList<string>> ListExtendedAttributesAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>([.. ExtendedAttributesOf(_inodes.Get(inode)).Select(a => a.Name)]);

    private static IReadOnlyList<Repository.Trees.ExtendedAttribute> ExtendedAttributesOf(MountNode node) => node switch
    {
        TreeFile f => f.Node.ExtendedAttributes,
        TreeLeaf l => l.Node.ExtendedAttributes,
        TreeDirectory { Node: { } n } => n.ExtendedAttributes,
        _ => [],
    };

    public override FuseStatfs GetStatfs()
    {
        const ulong blockSize = 4096;
        return new FuseStatfs(blockSize, (ulong)(RepositoryBytes + (long)blockSize - 1) / blockSize, (ulong)_inodes.Count);
    }

    /// <summary>Repository and backend failures become EIO with one log line naming the path; the mount stays up.</summary>
    private async ValueTask<T> Guard<T>(MountNode node, ValueTask<T> operation)
    {
        if (operation.IsCompletedSuccessfully)
            return operation.Result;
        try
        {
            return await operation.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RepositoryException or BackendException or TimeoutException or IOException)
        {
            _log($"{node.Path}: {e.Message.ReplaceLineEndings(" ")}");
            throw new FuseException(Errno.EIO);
        }
    }
}
