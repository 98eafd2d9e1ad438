using StashMount.Mount.Fuse;

namespace StashMount.Mount.Writable;

/// <summary>
/// The listing layer with <c>new/</c> at its root: inodes of <c>new/</c> (numbered from SpoolNodeTable.FirstInode)
/// go to the spool passthrough, every other inode to the read-only snapshot filesystem, which answers EROFS to
/// writes. Moving or linking between the two parts is EXDEV, as between two filesystems.
/// </summary>
internal sealed class WritableMountFileSystem(FuseFileSystem snapshots, SpoolFileSystem spool) : FuseFileSystem
{
    public const string NewDirectoryName = "new";

    public SpoolFileSystem Spool { get; } = spool;

    private static bool IsSpool(ulong inode) => SpoolNodeTable.Owns(inode);

    private FuseFileSystem Of(ulong inode) => IsSpool(inode) ? Spool : snapshots;

    public override bool IsWritable => true;

    protected override void NameCacheAttached(IKernelNameCache? nameCache) => Spool.NameCache = nameCache;

    public override ValueTask<FuseEntry?> LookupAsync(ulong parent, string name, CancellationToken cancellationToken) =>
        parent == RootInode && name == NewDirectoryName
            ? ValueTask.FromResult<FuseEntry?>(Spool.RootEntry())
            : Of(parent).LookupAsync(parent, name, cancellationToken);

    public override ValueTask<IReadOnlyList<FuseDirectoryEntry>> ListDirectoryAsync(ulong inode, CancellationToken cancellationToken) =>
        inode == RootInode ? WithNewDirectoryAsync(cancellationToken) : Of(inode).ListDirectoryAsync(inode, cancellationToken);

    private async ValueTask<IReadOnlyList<FuseDirectoryEntry>> WithNewDirectoryAsync(CancellationToken cancellationToken)
    {
        var listing = await snapshots.ListDirectoryAsync(RootInode, cancellationToken).ConfigureAwait(false);
        return [.. listing, new FuseDirectoryEntry(NewDirectoryName, Spool.RootEntry())];
    }

    public override ValueTask<FuseAttributes> GetAttributesAsync(ulong inode, CancellationToken cancellationToken) => Of(inode).GetAttributesAsync(inode, cancellationToken);

    public override TimeSpan AttributeTimeout(ulong inode) => Of(inode).AttributeTimeout(inode);

    public override ValueTask<string> ReadLinkAsync(ulong inode, CancellationToken cancellationToken) => Of(inode).ReadLinkAsync(inode, cancellationToken);

    public override ValueTask<FuseOpenResult> OpenAsync(ulong inode, CancellationToken cancellationToken) => Of(inode).OpenAsync(inode, cancellationToken);

    public override ValueTask<FuseOpenResult> OpenAsync(ulong inode, int flags, CancellationToken cancellationToken) => Of(inode).OpenAsync(inode, flags, cancellationToken);

    public override ValueTask<int> ReadAsync(ulong inode, ulong handle, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
        Of(inode).ReadAsync(inode, handle, offset, destination, cancellationToken);

    public override ValueTask<IFuseReadData> ReadDataAsync(ulong inode, ulong handle, long offset, int size, CancellationToken cancellationToken) =>
        Of(inode).ReadDataAsync(inode, handle, offset, size, cancellationToken);

    public override void Release(ulong inode, ulong handle) => Of(inode).Release(inode, handle);

    public override ValueTask ReleaseAsync(ulong inode, ulong handle, CancellationToken cancellationToken) => Of(inode).ReleaseAsync(inode, handle, cancellationToken);

    public override bool CanCacheDirectory(ulong inode) => Of(inode).CanCacheDirectory(inode);

    public override ValueTask<byte[]?> GetExtendedAttributeAsync(ulong inode, string name, CancellationToken cancellationToken) =>
        Of(inode).GetExtendedAttributeAsync(inode, name, cancellationToken);

    public override ValueTask<IReadOnlyList<string>> ListExtendedAttributesAsync(ulong inode, CancellationToken cancellationToken) =>
        Of(inode).ListExtendedAttributesAsync(inode, cancellationToken);

    public override FuseStatfs GetStatfs() => snapshots.GetStatfs();

    public override FuseStatfs GetStatfs(ulong inode) => Of(inode).GetStatfs(inode);

    public override void Forget(ulong inode, ulong count) => Of(inode).Forget(inode, count);

    public override ValueTask<FuseCreated> CreateAsync(ulong parent, string name, uint mode, int flags, FuseRequestContext caller, CancellationToken cancellationToken) =>
        Of(parent).CreateAsync(parent, name, mode, flags, caller, cancellationToken);

    public override ValueTask<FuseEntry> MakeNodeAsync(ulong parent, string name, uint mode, ulong device, FuseRequestContext caller, CancellationToken cancellationToken) =>
        Of(parent).MakeNodeAsync(parent, name, mode, device, caller, cancellationToken);

    public override ValueTask<FuseEntry> MakeDirectoryAsync(ulong parent, string name, uint mode, FuseRequestContext caller, CancellationToken cancellationToken) =>
        Of(parent).MakeDirectoryAsync(parent, name, mode, caller, cancellationToken);

    public override ValueTask<FuseEntry> SymlinkAsync(ulong parent, string name, string target, FuseRequestContext caller, CancellationToken cancellationToken) =>
        Of(parent).SymlinkAsync(parent, name, target, caller, cancellationToken);

    public override ValueTask<FuseEntry> LinkAsync(ulong inode, ulong newParent, string newName, CancellationToken cancellationToken) =>
        IsSpool(inode) == IsSpool(newParent) ? Of(newParent).LinkAsync(inode, newParent, newName, cancellationToken) : ValueTask.FromException<FuseEntry>(new FuseException(Errno.EXDEV));

    public override ValueTask UnlinkAsync(ulong parent, string name, CancellationToken cancellationToken) => Of(parent).UnlinkAsync(parent, name, cancellationToken);

    public override ValueTask RemoveDirectoryAsync(ulong parent, string name, CancellationToken cancellationToken) =>
        Of(parent).RemoveDirectoryAsync(parent, name, cancellationToken);

    public override ValueTask RenameAsync(ulong parent, string name, ulong newParent, string newName, bool noReplace, CancellationToken cancellationToken) =>
        IsSpool(parent) == IsSpool(newParent)
            ? Of(parent).RenameAsync(parent, name, newParent, newName, noReplace, cancellationToken)
            : ValueTask.FromException(new FuseException(Errno.EXDEV));

    public override ValueTask<FuseAttributes> SetAttributesAsync(ulong inode, FuseSetAttributes changes, CancellationToken cancellationToken) =>
        Of(inode).SetAttributesAsync(inode, changes, cancellationToken);

    public override ValueTask<int> WriteAsync(ulong inode, ulong handle, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Of(inode).WriteAsync(inode, handle, offset, data, cancellationToken);

    public override ValueTask SyncAsync(ulong inode, ulong handle, bool dataOnly, CancellationToken cancellationToken) =>
        Of(inode).SyncAsync(inode, handle, dataOnly, cancellationToken);

    public override ValueTask SyncDirectoryAsync(ulong inode, bool dataOnly, CancellationToken cancellationToken) =>
        Of(inode).SyncDirectoryAsync(inode, dataOnly, cancellationToken);

    public override ValueTask SetExtendedAttributeAsync(ulong inode, string name, byte[] value, int flags, CancellationToken cancellationToken) =>
        Of(inode).SetExtendedAttributeAsync(inode, name, value, flags, cancellationToken);

    public override ValueTask RemoveExtendedAttributeAsync(ulong inode, string name, CancellationToken cancellationToken) =>
        Of(inode).RemoveExtendedAttributeAsync(inode, name, cancellationToken);
}
