using StashMount.Backends;
using StashMount.Mount.Cli;
using StashMount.Mount.DataPath;
using StashMount.Mount.Fuse;
using StashMount.Mount.Writable;
using StashMount.Repository;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// Builds the filesystem of an open repository (the listing layer, or one snapshot at the root) and keeps it
/// current: every refresh interval, new index files are loaded and the snapshot listings are rebuilt.
/// </summary>
internal sealed class RepositoryMount : IDisposable
{
    private readonly ResticRepository _repository;
    private readonly SnapshotMountOptions _options;
    private readonly Action<string> _log;
    private readonly InodeTable _inodes = new();
    private readonly BlobCache _cache;
    private readonly BlobFetcher _fetcher;
    private readonly SnapshotContext _context;
    private SnapshotLayout? _layout;
    private HashSet<ObjectId> _shown = [];

    private RepositoryMount(ResticRepository repository, SnapshotMountOptions options, Action<string> log, IWriteSpool? spool)
    {
        _repository = repository;
        _options = options;
        _log = log;
        _cache = new BlobCache(options.Data.CacheSizeBytes, options.Data.PoolRetainBytes);
        _fetcher = new BlobFetcher(repository.Backend, repository.Key,
            id => repository.Index.TryGet(id, BlobType.Data, out var blob) ? blob : null, _cache, options.Data, log);
        _context = new SnapshotContext(repository, _inodes, _fetcher, options.OwnerRoot);
        // Without a writable part the whole mount is read-only: opens need no request (see UnopenedFiles).
        Snapshots = new SnapshotFileSystem(_inodes, options.Data, log) { ZeroMessageOpens = spool is null };
        FileSystem = spool is null ? Snapshots : new WritableMountFileSystem(Snapshots, new SpoolFileSystem(spool, log));
    }

    /// <summary>What to mount: the snapshots, plus a writable <c>new/</c> at the root when a spool was given.</summary>
    public FuseFileSystem FileSystem { get; }

    public SnapshotFileSystem Snapshots { get; }

    public BlobFetcher Fetcher => _fetcher;

    /// <summary>
    /// Loads the index and snapshots and builds the tree. Throws <see cref="UsageException"/> for a bad --snapshot.
    /// With <paramref name="spool"/>, the listing layer gets a writable <c>new/</c> directory backed by the spool's
    /// tree (everything else stays read-only); the mount is then made without "ro". It cannot be combined with
    /// <see cref="SnapshotMountOptions.Snapshot"/>, which has no listing layer.
    /// </summary>
    public static async Task<RepositoryMount> CreateAsync(ResticRepository repository, SnapshotMountOptions options, Action<string> log, CancellationToken cancellationToken, IWriteSpool? spool = null)
    {
        if (spool != null && options.Snapshot != null)
            throw new UsageException("a writable mount shows new/ in the snapshot listing: it cannot be combined with --snapshot");
        var mount = new RepositoryMount(repository, options, log, spool);
        try
        {
            await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
            var snapshots = await repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false);
            if (options.Snapshot is null)
            {
                var root = mount._inodes.Register(new VirtualDirectory(FuseFileSystem.RootInode, "", null));
                mount._layout = new SnapshotLayout(mount._inodes, root, mount.CreateSnapshotRoot, options.PathTemplates, options.TimeTemplate);
                mount.Show(snapshots);
            }
            else
            {
                await mount.MountOneAsync(snapshots, options.Snapshot, cancellationToken).ConfigureAwait(false);
            }
            mount.Snapshots.RepositoryBytes = await PackBytesAsync(repository.Backend, cancellationToken).ConfigureAwait(false);
            return mount;
        }
        catch
        {
            mount.Dispose();
            throw;
        }
    }

    private DirectoryNode CreateSnapshotRoot(Snapshot snapshot, string name, MountNode parent) => SnapshotRoots.Create(_context, snapshot, name, parent);

    private FuseAttributes RootAttributes(ulong inode, Snapshot snapshot) => SnapshotRoots.Attributes(inode, snapshot, _options.OwnerRoot);

    private void Show(IReadOnlyList<Snapshot> all)
    {
        var selected = all.Where(_options.Filter.Matches).ToList();
        var ids = selected.Select(s => s.Id).ToHashSet();
        if (ids.SetEquals(_shown) && _shown.Count > 0)
            return;
        _layout!.Update(selected);
        _shown = ids;
    }

    private async Task MountOneAsync(IReadOnlyList<Snapshot> snapshots, string specification, CancellationToken cancellationToken)
    {
        var colon = specification.IndexOf(':');
        var id = colon < 0 ? specification : specification[..colon];
        var subpath = colon < 0 ? "" : specification[(colon + 1)..];
        var snapshot = SnapshotSelector.Resolve(snapshots, id, _options.Filter);
        DirectoryNode directory = new TreeDirectory(_context, snapshot.Tree, RootAttributes(0, snapshot), null, "", null);
        foreach (var part in subpath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var child = await directory.LookupAsync(part, cancellationToken).ConfigureAwait(false);
            directory = child as TreeDirectory
                ?? throw new UsageException($"{subpath} is not a directory in snapshot {snapshot.ShortId}");
        }
        var found = (TreeDirectory)directory;
        var attributes = found.Attributes with { Inode = FuseFileSystem.RootInode };
        _inodes.Register(new TreeDirectory(_context, found.Subtree, attributes, found.Node, "", null));
    }

    /// <summary>Looks for new index files and snapshots every refresh interval until cancelled.</summary>
    public async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        if (_options.Refresh <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(_options.Refresh);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log($"refresh failed (will retry): {e.Message.ReplaceLineEndings(" ")}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        if (_layout is null)
            return;
        Show(await _repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task<long> PackBytesAsync(IBackend backend, CancellationToken cancellationToken)
    {
        long total = 0;
        await foreach (var file in backend.ListAsync(FileType.Pack, cancellationToken).ConfigureAwait(false))
            total += file.Size;
        return total;
    }

    public void Dispose()
    {
        _fetcher.Dispose();
        _cache.Dispose();
    }
}
