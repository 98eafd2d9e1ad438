using System.Collections.Concurrent;
using Mono.Unix.Native;
using StashMount.Mount.Fuse;
using Errno = StashMount.Mount.Fuse.Errno;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Writable;

/// <summary>
/// <c>new/</c>: a passthrough onto the spool's tree (<see cref="IWriteSpool.TreeRoot"/>). Open files are real
/// descriptors of spool files (pread/pwrite), metadata is lstat, errors are the real errno. Names and data are not
/// cached by the kernel (no keep_cache), because a commit may empty the tree at any time; names are only while the
/// kernel can be told to drop them all (<see cref="NameTimeout"/>), attributes briefly
/// (<see cref="SpoolAttributes.AttributeTimeout"/>). Mutations hold
/// <see cref="IWriteSpool.EnterChangeAsync"/> and are reported to the spool (SpoolFileSystem.Changes.cs).
/// </summary>
internal sealed partial class SpoolFileSystem : FuseFileSystem
{
    private readonly IWriteSpool _spool;
    private readonly string _treeRoot;
    private readonly Action<string> _log;
    private readonly SpoolNodeTable _nodes = new();
    private readonly ConcurrentDictionary<ulong, SpoolHandle> _handles = new();
    private readonly uint _umask = SpoolPosix.ProcessUmask();
    private readonly bool _privileged = Environment.IsPrivilegedProcess;
    private long _nextHandle;
    private volatile bool _namesUnexpirable;

    // A folder of the tree may hand new files something of its own (set-group-ID: its group; a default ACL: an
    // ACL and a masked mode), which a file made ahead elsewhere and renamed in would miss: then every file is
    // created in place. A tree left by an earlier run may hold such folders; an empty tree holds none.
    private volatile bool _placeMatters;

    public SpoolFileSystem(IWriteSpool spool, Action<string> log)
    {
        _spool = spool;
        _treeRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(spool.TreeRoot));
        _log = log;
        Directory.CreateDirectory(_treeRoot);
        _placeMatters = Directory.EnumerateFileSystemEntries(_treeRoot).Any() || RootSetsGroup();
        spool.TreeEmptied += () =>
        {
            _nodes.Clear();
            _placeMatters = RootSetsGroup();
            ExpireNames();
        };
    }

    private bool RootSetsGroup() => ((uint)SpoolPosix.LStat(_treeRoot).st_mode & SetGroupId) != 0;

    /// <summary>Names may be cached by the kernel while it can be made to drop them (kernels with the FUSE epoch).</summary>
    private TimeSpan NameTimeout => !_namesUnexpirable && NameCache is { CanExpireAll: true } ? SpoolAttributes.NameTimeout : TimeSpan.Zero;

    /// <summary>The tree changed behind the kernel (a commit emptied it, a file was set aside): its names are void.</summary>
    private void ExpireNames()
    {
        if (_namesUnexpirable || NameCache is not { CanExpireAll: true } names || names.ExpireAll())
            return;
        _namesUnexpirable = true;
        _log($"new/: the kernel refused to drop its cached names; names are not cached from now on (for up to {SpoolAttributes.NameTimeout.TotalSeconds:0}s some may be stale)");
    }

    public ulong SpoolRootInode => _nodes.Root.Inode;

    /// <summary>The entry of <c>new/</c> itself, for the listing layer's root.</summary>
    public FuseEntry RootEntry() => SpoolAttributes.Entry(SpoolRootInode, SpoolPosix.LStat(_treeRoot), NameTimeout);

    private string FullPath(string relative) => relative.Length == 0 ? _treeRoot : _treeRoot + "/" + relative;

    private string FullPath(SpoolNode node) => FullPath(_nodes.PathOf(node));

    private (SpoolNode Parent, string Relative, string Full) Child(ulong parent, string name)
    {
        var node = _nodes.Get(parent);
        var parentPath = _nodes.PathOf(node);
        var relative = parentPath.Length == 0 ? name : parentPath + "/" + name;
        return (node, relative, FullPath(relative));
    }

    private FuseEntry Remember(SpoolNode parent, string name, in Stat stat) =>
        SpoolAttributes.Entry(_nodes.Remember(parent, name, stat).Inode, stat, NameTimeout);

    public override ValueTask<FuseEntry?> LookupAsync(ulong parent, string name, CancellationToken cancellationToken)
    {
        var (node, _, full) = Child(parent, name);
        if (!SpoolPosix.TryLStat(full, out var stat))
        {
            var error = SpoolPosix.LastError();
            return error.Errno == Errno.ENOENT ? ValueTask.FromResult<FuseEntry?>(null) : throw error;
        }
        return ValueTask.FromResult<FuseEntry?>(Remember(node, name, stat));
    }

    public override ValueTask<FuseAttributes> GetAttributesAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttributesOf(_nodes.Get(inode)));

    /// <summary>lstat of the node's name; for a file whose name is gone, fstat of one of its open descriptors.</summary>
    private FuseAttributes AttributesOf(SpoolNode node)
    {
        var relative = _nodes.TryPathOf(node);
        if (relative != null && SpoolPosix.TryLStat(FullPath(relative), out var stat) && (node.IsRoot || (stat.st_dev, stat.st_ino) == node.Key))
            return SpoolAttributes.Of(node.Inode, stat);
        if (_nodes.AnyHandle(node) is { } handle)
        {
            lock (handle.Gate)
                if (!handle.Closed)
                    return SpoolAttributes.Of(node.Inode, SpoolPosix.FStat(handle.Descriptor));
        }
        throw new FuseException(relative is null ? Errno.ESTALE : Errno.ENOENT);
    }

    public override TimeSpan AttributeTimeout(ulong inode) => SpoolAttributes.AttributeTimeout;

    public override ValueTask<string> ReadLinkAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SpoolPosix.ReadLink(FullPath(_nodes.Get(inode))));

    public override ValueTask<FuseOpenResult> OpenAsync(ulong inode, CancellationToken cancellationToken) =>
        OpenAsync(inode, 0, cancellationToken);

    public override async ValueTask<FuseOpenResult> OpenAsync(ulong inode, int flags, CancellationToken cancellationToken)
    {
        const int accessModeMask = 3;
        var node = _nodes.Get(inode);
        if ((flags & accessModeMask) == 0)
            return OpenHandle(node, SpoolPosix.Open(FullPath(node), flags, 0), flags, writable: false);
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var relative = _nodes.PathOf(node);
        var result = OpenHandle(node, SpoolPosix.Open(FullPath(relative), flags, 0), flags, writable: true, relative);
        _spool.FileOpenedForWrite(relative);
        return result;
    }

    /// <summary>
    /// A write-only handle (cp, tar, rsync) bypasses the kernel's page cache: the kernel then hands each write(2)
    /// straight over with one copy less, and skips the security.capability GETXATTR it sends before every cached
    /// write (one request per small file, one per MiB of a big one). Write-only, because a direct handle cannot be
    /// mmap'ed shared, and a write-only one never can.
    /// </summary>
    private FuseOpenResult OpenHandle(SpoolNode node, int descriptor, int flags, bool writable, string? openedAs = null)
    {
        const int accessModeMask = 3, writeOnly = 1;
        var handle = new SpoolHandle(node, descriptor, writable, openedAs);
        var id = (ulong)Interlocked.Increment(ref _nextHandle);
        _handles[id] = handle;
        _nodes.AddHandle(handle);
        return new FuseOpenResult(id, KeepCache: false, DirectIo: (flags & accessModeMask) == writeOnly);
    }

    private SpoolHandle HandleOf(ulong handle) =>
        _handles.TryGetValue(handle, out var open) ? open : throw new FuseException(Errno.EBADF);

    public override ValueTask<int> ReadAsync(ulong inode, ulong handle, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SpoolPosix.Read(HandleOf(handle).Descriptor, destination.Span, offset));

    public override void Release(ulong inode, ulong handle) => _ = ReleaseAsync(inode, handle, CancellationToken.None);

    /// <summary>
    /// Closes the descriptor and reports the last writable handle's file closed. No fsync here: a SIGKILL keeps
    /// the page cache, and the spool makes closed files durable in groups (WriteSpool's SpoolDurability), which
    /// costs one syncfs a second instead of a journal commit of the disk per file.
    /// </summary>
    public override async ValueTask ReleaseAsync(ulong inode, ulong handle, CancellationToken cancellationToken)
    {
        if (!_handles.TryRemove(handle, out var open))
            return;
        var lastWriter = _nodes.RemoveHandle(open);
        // The spool needs the closed file's stat: by its descriptor, no walk of its path.
        var stat = default(Stat);
        bool statted, closeFailed;
        lock (open.Gate)
        {
            statted = lastWriter && Syscall.fstat(open.Descriptor, out stat) == 0;
            closeFailed = Syscall.close(open.Descriptor) < 0;
            open.Closed = true;
        }
        if (closeFailed && open.Writable)
        {
            open.Node.WriteFailed = true; // a file system that reports write errors only at close (NFS)
            _log($"new/{_nodes.TryPathOf(open.Node)}: close failed, errno {SpoolPosix.LastError().Errno}");
        }
        if (!lastWriter || (_nodes.TryPathOf(open.Node) ?? open.OpenedAs) is not { } relative)
            return;
        if (!open.Node.WriteFailed)
        {
            if (statted)
                _spool.FileClosed(relative, stat.st_nlink > 0 ? SpoolAttributes.Status(stat) : null);
            else
                _spool.FileClosed(relative);
            return;
        }
        open.Node.WriteFailed = false;
        using (await _spool.EnterChangeAsync(CancellationToken.None).ConfigureAwait(false))
            _spool.FileWriteFailed(relative);
        ExpireNames(); // it was moved to incomplete/
    }

    public override ValueTask<IReadOnlyList<FuseDirectoryEntry>> ListDirectoryAsync(ulong inode, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(inode);
        var full = FullPath(node);
        var entries = new List<FuseDirectoryEntry>();
        // Each entry may be sent by readdirplus, which the kernel counts as a lookup: remember every one.
        foreach (var path in Directory.EnumerateFileSystemEntries(full))
        {
            var name = path[(full.Length + 1)..];
            if (SpoolPosix.TryLStat(path, out var stat))
                entries.Add(new FuseDirectoryEntry(name, Remember(node, name, stat)));
        }
        return ValueTask.FromResult<IReadOnlyList<FuseDirectoryEntry>>(entries);
    }

    public override ValueTask<byte[]?> GetExtendedAttributeAsync(ulong inode, string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SpoolPosix.GetXattr(FullPath(_nodes.Get(inode)), name));

    public override ValueTask<IReadOnlyList<string>> ListExtendedAttributesAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>(SpoolPosix.ListXattrs(FullPath(_nodes.Get(inode))));

    public override FuseStatfs GetStatfs(ulong inode)
    {
        SpoolPosix.Check(Syscall.statvfs(_treeRoot, out var s));
        return new FuseStatfs(s.f_bsize, s.f_blocks, s.f_files, s.f_namemax)
        {
            FragmentSize = s.f_frsize,
            BlocksFree = s.f_bfree,
            BlocksAvailable = s.f_bavail,
            FilesFree = s.f_ffree,
            FilesAvailable = s.f_favail,
        };
    }

    public override void Forget(ulong inode, ulong count) => _nodes.Forget(inode, count);

    /// <summary>Inodes of <c>new/</c> the kernel holds now (for tests and statistics).</summary>
    public int KnownInodes => _nodes.Count;
}
