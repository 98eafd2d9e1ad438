using StashMount.Mount.DataPath;
using StashMount.Repository;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Filesystem.KubeStash;

/// <summary>
/// One KubeStash component's restic repository, open: its own key, index and fetcher (the blob cache is shared by
/// the whole storage: blobs are named by their content) and the usual snapshots/hosts/tags/ids listing.
/// </summary>
internal sealed class OpenedComponent : IAsyncDisposable
{
    private readonly ResticRepository _repository;
    private readonly BlobFetcher _fetcher;
    private readonly SnapshotLayout _layout;
    private readonly SnapshotMountOptions _options;
    private HashSet<ObjectId> _shown = [];

    private OpenedComponent(ResticRepository repository, BlobFetcher fetcher, SnapshotLayout layout, SnapshotMountOptions options)
    {
        _repository = repository;
        _fetcher = fetcher;
        _layout = layout;
        _options = options;
    }

    /// <summary>The listing root; its children are what the component directory shows.</summary>
    public VirtualDirectory Root => _layout.Root;

    /// <param name="root">An unregistered directory standing for the component (named and parented like it), for log paths.</param>
    public static async Task<OpenedComponent> OpenAsync(ResticRepository repository, InodeTable inodes, BlobCache cache, VirtualDirectory root,
        SnapshotMountOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var snapshots = await repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        var fetcher = new BlobFetcher(repository.Backend, repository.Key,
            id => repository.Index.TryGet(id, BlobType.Data, out var blob) ? blob : null, cache, options.Data, log);
        var context = new SnapshotContext(repository, inodes, fetcher, options.OwnerRoot);
        var layout = new SnapshotLayout(inodes, root, (snapshot, name, parent) => SnapshotRoots.Create(context, snapshot, name, parent),
            options.PathTemplates, options.TimeTemplate);
        var opened = new OpenedComponent(repository, fetcher, layout, options);
        opened.Show(snapshots);
        return opened;
    }

    /// <summary>Loads new index files and shows snapshots added or forgotten since the last look.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        Show(await _repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false));
    }

    private void Show(IReadOnlyList<Snapshot> all)
    {
        var selected = all.Where(_options.Filter.Matches).ToList();
        var ids = selected.Select(s => s.Id).ToHashSet();
        if (ids.SetEquals(_shown) && _shown.Count > 0)
            return;
        _layout.Update(selected);
        _shown = ids;
    }

    public async ValueTask DisposeAsync()
    {
        _fetcher.Dispose();
        await _repository.DisposeAsync().ConfigureAwait(false);
    }
}
