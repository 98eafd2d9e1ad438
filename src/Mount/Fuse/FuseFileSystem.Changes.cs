namespace StashMount.Mount.Fuse;

/// <summary>
/// The write operations. Each default answers EROFS, so a filesystem stays read-only wherever it does not override
/// them. Entries returned by create, mknod, mkdir, symlink and link count as lookups (the kernel forgets them later).
/// </summary>
public abstract partial class FuseFileSystem
{
    /// <summary>True when some part accepts writes: the mount is then not made read-only ("ro") as a whole.</summary>
    public virtual bool IsWritable => false;

    /// <summary>open(2) with its flags (O_ACCMODE, O_TRUNC, O_APPEND...); the default refuses write access with EROFS.</summary>
    public virtual ValueTask<FuseOpenResult> OpenAsync(ulong inode, int flags, CancellationToken cancellationToken)
    {
        const int accessModeMask = 3;
        return (flags & accessModeMask) != 0 ? ReadOnly<FuseOpenResult>() : OpenAsync(inode, cancellationToken);
    }

    public virtual ValueTask<FuseCreated> CreateAsync(ulong parent, string name, uint mode, int flags, FuseRequestContext caller, CancellationToken cancellationToken) =>
        ReadOnly<FuseCreated>();

    public virtual ValueTask<FuseEntry> MakeNodeAsync(ulong parent, string name, uint mode, ulong device, FuseRequestContext caller, CancellationToken cancellationToken) =>
        ReadOnly<FuseEntry>();

    public virtual ValueTask<FuseEntry> MakeDirectoryAsync(ulong parent, string name, uint mode, FuseRequestContext caller, CancellationToken cancellationToken) =>
        ReadOnly<FuseEntry>();

    public virtual ValueTask<FuseEntry> SymlinkAsync(ulong parent, string name, string target, FuseRequestContext caller, CancellationToken cancellationToken) =>
        ReadOnly<FuseEntry>();

    /// <summary>A new name <paramref name="newName"/> in <paramref name="newParent"/> for the existing <paramref name="inode"/>.</summary>
    public virtual ValueTask<FuseEntry> LinkAsync(ulong inode, ulong newParent, string newName, CancellationToken cancellationToken) =>
        ReadOnly<FuseEntry>();

    public virtual ValueTask UnlinkAsync(ulong parent, string name, CancellationToken cancellationToken) => ReadOnly();

    public virtual ValueTask RemoveDirectoryAsync(ulong parent, string name, CancellationToken cancellationToken) => ReadOnly();

    /// <param name="noReplace">RENAME_NOREPLACE: fail with EEXIST instead of replacing an existing target.</param>
    public virtual ValueTask RenameAsync(ulong parent, string name, ulong newParent, string newName, bool noReplace, CancellationToken cancellationToken) =>
        ReadOnly();

    /// <summary>chmod, chown, truncate and utimens; returns the attributes after the change.</summary>
    public virtual ValueTask<FuseAttributes> SetAttributesAsync(ulong inode, FuseSetAttributes changes, CancellationToken cancellationToken) =>
        ReadOnly<FuseAttributes>();

    /// <summary>
    /// Writes <paramref name="data"/> at <paramref name="offset"/>; returns the bytes written. <paramref name="data"/>
    /// is libfuse's request buffer: it is valid only until this method first yields, so an implementation that
    /// awaits before writing must copy it first.
    /// </summary>
    public virtual ValueTask<int> WriteAsync(ulong inode, ulong handle, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        ReadOnly<int>();

    public virtual ValueTask SyncAsync(ulong inode, ulong handle, bool dataOnly, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public virtual ValueTask SyncDirectoryAsync(ulong inode, bool dataOnly, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The last reference to an open handle is gone; the default calls <see cref="Release(ulong, ulong)"/>.</summary>
    public virtual ValueTask ReleaseAsync(ulong inode, ulong handle, CancellationToken cancellationToken)
    {
        Release(inode, handle);
        return ValueTask.CompletedTask;
    }

    /// <param name="flags">XATTR_CREATE (1) or XATTR_REPLACE (2), or 0.</param>
    public virtual ValueTask SetExtendedAttributeAsync(ulong inode, string name, byte[] value, int flags, CancellationToken cancellationToken) =>
        ReadOnly();

    public virtual ValueTask RemoveExtendedAttributeAsync(ulong inode, string name, CancellationToken cancellationToken) => ReadOnly();

    protected static ValueTask ReadOnly() => ValueTask.FromException(new FuseException(Errno.EROFS));

    protected static ValueTask<T> ReadOnly<T>() => ValueTask.FromException<T>(new FuseException(Errno.EROFS));
}
