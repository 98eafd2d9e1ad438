using StashMount.Backends.Kubernetes;
using StashMount.Mount.DataPath;
using StashMount.Mount.Fuse;
using StashMount.Repository;

namespace StashMount.Mount.Filesystem.KubeStash;

/// <summary>
/// A whole KubeStash BackupStorage: &lt;repository&gt;/&lt;session&gt;/&lt;component&gt;/ (each component its own restic
/// repository, opened on first use) and &lt;repository&gt;/snapshots/&lt;KubeStash Snapshot&gt;/&lt;component&gt; links.
/// Repository directories are named after the Repository, or namespace.name when two namespaces share a name.
/// </summary>
internal sealed class StorageMount : IAsyncDisposable
{
    /// <summary>Opens one component's restic repository (reads its Secret, builds its backend).</summary>
    public delegate Task<ResticRepository> RepositoryOpener(KubeStashStoredRepository repository, KubeStashComponent component, CancellationToken cancellationToken);

    private readonly InodeTable _inodes = new();
    private readonly BlobCache _cache;
    private readonly SnapshotMountOptions _options;
    private readonly RepositoryOpener _openRepository;
    private readonly Action<string> _log;
    private readonly List<ComponentDirectory> _components = [];

    public StorageMount(IReadOnlyList<KubeStashStoredRepository> repositories, SnapshotMountOptions options, RepositoryOpener openRepository, Action<string> log)
    {
        _options = options;
        _openRepository = openRepository;
        _log = log;
        _cache = new BlobCache(options.Data.CacheSizeBytes, options.Data.PoolRetainBytes);
        FileSystem = new SnapshotFileSystem(_inodes, options.Data, log);
        var time = FuseTimestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var root = _inodes.Register(new VirtualDirectory(FuseFileSystem.RootInode, "", null));
        var shared = repositories.GroupBy(r => r.Name.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var entries = new List<NamedNode>();
        foreach (var repository in repositories)
        {
            var name = shared.Contains(repository.Name.Name) ? $"{repository.Name.Namespace}.{repository.Name.Name}" : repository.Name.Name;
            if (SnapshotLayout.IsUsableName(name))
                entries.Add(new(name, RepositoryDirectory(repository, name, root, time)));
        }
        root.SetChildren([.. entries.OrderBy(e => e.Name, StringComparer.Ordinal)], time);
    }

    public SnapshotFileSystem FileSystem { get; }

    public BlobCache Cache => _cache;

    private VirtualDirectory RepositoryDirectory(KubeStashStoredRepository repository, string name, MountNode root, FuseTimestamp time)
    {
        var directory = _inodes.Register(new VirtualDirectory(_inodes.Allocate(), name, root));
        var entries = new List<NamedNode>();
        foreach (var session in repository.Components.GroupBy(c => c.Session, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!SnapshotLayout.IsUsableName(session.Key) || session.Key == KubeStashSnapshotLinks.FolderName)
            {
                _log($"{directory.Path}: session \"{session.Key}\" cannot be a directory name here; left out");
                continue;
            }
            var sessionDirectory = _inodes.Register(new VirtualDirectory(_inodes.Allocate(), session.Key, directory));
            var components = new List<NamedNode>();
            foreach (var component in session.Where(c => SnapshotLayout.IsUsableName(c.Component)).DistinctBy(c => c.Component))
            {
                var node = _inodes.Register(new ComponentDirectory(_inodes.Allocate(), component.Component, sessionDirectory, time,
                    (standIn, cancellationToken) => OpenComponentAsync(repository, component, standIn, cancellationToken), _log));
                lock (_components)
                    _components.Add(node);
                components.Add(new(component.Component, node));
            }
            sessionDirectory.SetChildren([.. components.OrderBy(c => c.Name, StringComparer.Ordinal)], time);
            entries.Add(new(session.Key, sessionDirectory));
        }
        if (KubeStashSnapshotLinks.Build(_inodes, directory, repository.Components, time) is { } snapshots)
            entries.Add(new(KubeStashSnapshotLinks.FolderName, snapshots));
        directory.SetChildren([.. entries.OrderBy(e => e.Name, StringComparer.Ordinal)], time);
        return directory;
    }

    private async Task<OpenedComponent> OpenComponentAsync(KubeStashStoredRepository repository, KubeStashComponent component, VirtualDirectory standIn, CancellationToken cancellationToken)
    {
        var restic = await _openRepository(repository, component, cancellationToken).ConfigureAwait(false);
        try
        {
            return await OpenedComponent.OpenAsync(restic, _inodes, _cache, standIn, _options, _log, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await restic.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Every refresh interval: opened components pick up new snapshots; failed ones may try again.</summary>
    public async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        if (_options.Refresh <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(_options.Refresh);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                foreach (var component in Components())
                {
                    component.ForgetFailure();
                    if (component.Opened is not { } opened)
                        continue;
                    try
                    {
                        await opened.RefreshAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        _log($"{component.Path}: refresh failed (will retry): {e.Message.ReplaceLineEndings(" ")}");
                    }
                }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private List<ComponentDirectory> Components()
    {
        lock (_components)
            return [.. _components];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var component in Components())
            if (component.Opened is { } opened)
                await opened.DisposeAsync().ConfigureAwait(false);
        _cache.Dispose();
    }
}
