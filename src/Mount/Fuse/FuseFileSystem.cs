namespace StashMount.Mount.Fuse;

/// <summary>
/// A filesystem served over the FUSE low-level (inode) API; read-only unless the write operations
/// (FuseFileSystem.Changes.cs) are overridden. Every callback may complete
/// asynchronously: the reply is sent to the kernel when the returned task completes, from whatever thread that
/// is, so a slow read holds no libfuse worker. Errors: throw <see cref="FuseException"/> for a specific errno;
/// any other exception answers EIO and is logged. The root directory is inode 1.
/// </summary>
public abstract partial class FuseFileSystem
{
    public const ulong RootInode = 1;

    /// <summary>The kernel's page cache of this mount, set when it is mounted.</summary>
    public IKernelPageCache? PageCache { get; internal set; }

    /// <summary>The kernel's name cache of this mount, set when it is mounted.</summary>
    public IKernelNameCache? NameCache
    {
        get => _nameCache;
        internal set
        {
            _nameCache = value;
            NameCacheAttached(value);
        }
    }

    private IKernelNameCache? _nameCache;

    /// <summary>A filesystem that serves parts through others hands them the name cache.</summary>
    protected virtual void NameCacheAttached(IKernelNameCache? nameCache) { }

    /// <summary>The entry named <paramref name="name"/> in directory <paramref name="parent"/>, or null (ENOENT).</summary>
    public abstract ValueTask<FuseEntry?> LookupAsync(ulong parent, string name, CancellationToken cancellationToken);

    /// <summary>The attributes of an inode the kernel already knows.</summary>
    public abstract ValueTask<FuseAttributes> GetAttributesAsync(ulong inode, CancellationToken cancellationToken);

    /// <summary>How long the kernel may cache what <see cref="GetAttributesAsync"/> returned.</summary>
    public virtual TimeSpan AttributeTimeout(ulong inode) => TimeSpan.FromHours(1);

    public virtual ValueTask<string> ReadLinkAsync(ulong inode, CancellationToken cancellationToken) => throw new FuseException(Errno.EINVAL);

    public virtual ValueTask<FuseOpenResult> OpenAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new FuseOpenResult(0));

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; returns the bytes read (fewer only at end of file).</summary>
    public abstract ValueTask<int> ReadAsync(ulong inode, ulong handle, long offset, Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>
    /// The read the kernel's requests go to: up to <paramref name="size"/> bytes from <paramref name="offset"/>
    /// (fewer only at end of file). By default <see cref="ReadAsync"/> fills a pooled buffer; a filesystem that
    /// already holds the bytes answers with them and saves that copy.
    /// </summary>
    public virtual ValueTask<IFuseReadData> ReadDataAsync(ulong inode, ulong handle, long offset, int size, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        ValueTask<int> read;
        try
        {
            read = ReadAsync(inode, handle, offset, buffer.AsMemory(0, size), cancellationToken);
        }
        catch
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        return ReadBuffer.Attach(read, buffer);
    }

    public virtual void Release(ulong inode, ulong handle) { }

    /// <summary>
    /// All entries of a directory (without "." and ".."). Called once per opendir; the listing is kept for
    /// that handle so paging through a large directory stays consistent and cheap.
    /// </summary>
    public abstract ValueTask<IReadOnlyList<FuseDirectoryEntry>> ListDirectoryAsync(ulong inode, CancellationToken cancellationToken);

    /// <summary>A reader of this directory's listing reached its end: the kernel knows every inode listed (it can
    /// take page-cache stores for them).</summary>
    public virtual void ListingDelivered(ulong inode) { }

    /// <summary>Whether the kernel may cache this directory's listing (true for content that never changes).</summary>
    public virtual bool CanCacheDirectory(ulong inode) => false;

    /// <summary>The value of an extended attribute, or null (ENODATA).</summary>
    public virtual ValueTask<byte[]?> GetExtendedAttributeAsync(ulong inode, string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult<byte[]?>(null);

    public virtual ValueTask<IReadOnlyList<string>> ListExtendedAttributesAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);

    public virtual FuseStatfs GetStatfs() => new(4096, 0, 0);

    /// <summary>statfs on a given inode (a writable area may report its own disk).</summary>
    public virtual FuseStatfs GetStatfs(ulong inode) => GetStatfs();

    /// <summary>The kernel dropped <paramref name="count"/> references to an inode it had looked up.</summary>
    public virtual void Forget(ulong inode, ulong count) { }
}
