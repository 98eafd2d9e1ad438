using StashMount.Backends;
using StashMount.Backends.Kubernetes;
using StashMount.Mount.Cli;
using StashMount.Mount.Filesystem;
using StashMount.Mount.Filesystem.KubeStash;
using StashMount.Mount.Fuse;
using StashMount.Repository;

namespace StashMount.Mount.Commands;

/// <summary>
/// <c>mount --kubestash-storage NS/NAME MOUNTPOINT</c>: every Repository of a KubeStash BackupStorage under one
/// mountpoint. The BackupStorage and its storage Secret must be readable (else the mount fails with one line);
/// each component's encryption Secret and restic repository are read only when the component is first used.
/// Components are not locked: they are opened lazily, often never.
/// </summary>
internal static class KubeStashStorageMount
{
    public static async Task<int> RunAsync(CommandContext context, string storageText, SnapshotMountOptions options, FuseMountOptions fuseOptions,
        string target, Action<string> log, CancellationToken cancellationToken)
    {
        if (context.ParseResult.GetValue(context.Globals.Repository) is not null || context.Kubernetes is not null)
            throw new UsageException("--kubestash-storage names the repositories itself: leave out -r, --k8s-repository, --k8s-secret and --kubestash-repository");
        if (options.Snapshot is not null)
            throw new UsageException("--snapshot cannot be combined with --kubestash-storage");

        var kubernetes = context.Globals.Kubernetes;
        var endpoint = KubernetesConfigLoader.Load(context.Get(kubernetes.Kubeconfig), context.Get(kubernetes.Context), context.Host.Environment);
        KubernetesObjectName storageName;
        try
        {
            storageName = KubernetesObjectName.Parse(storageText, endpoint.DefaultNamespace);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        using var client = new KubernetesApiClient(endpoint);
        var environment = new DelegateCredentialSource(context.Environment.Get);
        var backendOptions = BackendOptions.Default with { Extended = context.BackendOptions };
        var storage = await KubeStashStorage.GetAsync(client, storageName, cancellationToken).ConfigureAwait(false);
        KubeStashStorageCatalog catalog;
        await using (var objects = KubeStashStorageCatalog.ObjectsOf(storage, environment, backendOptions))
            catalog = await KubeStashStorageCatalog.LoadAsync(client, storage, objects, log, cancellationToken).ConfigureAwait(false);
        if (catalog.Repositories.Count == 0)
            log($"KubeStash BackupStorage {storageName} holds no Repository yet (none in the API, metadata.yaml or repository.yaml)");

        async Task<ResticRepository> OpenAsync(KubeStashStoredRepository repository, KubeStashComponent component, CancellationToken token)
        {
            var password = await catalog.ReadPasswordAsync(repository, token).ConfigureAwait(false);
            var resolved = catalog.Component(repository, component);
            var credentials = new LayeredCredentialSource(new DictionaryCredentialSource(resolved.Credentials), environment);
            var extended = KubernetesOptions.WithConnections(resolved, new Dictionary<string, string>(context.BackendOptions));
            var backend = BackendFactory.Create(resolved.Repository, credentials, backendOptions with { Extended = extended, InsecureTls = resolved.InsecureTls });
            try
            {
                return await ResticRepository.OpenAsync(backend, password, null, token).ConfigureAwait(false);
            }
            catch
            {
                await backend.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        await using var mount = new StorageMount(catalog.Repositories, options, OpenAsync, log);
        using var session = FuseSession.Mount(mount.FileSystem, target, fuseOptions);
        using var stop = new CancellationTokenSource();
        using var signals = MountCommand.StopSignals(session, stop,
            () => log($"cache hits {mount.Cache.Hits}, misses {mount.Cache.Misses}"));
        using var onCancel = cancellationToken.Register(session.RequestStop);
        context.Error.WriteLine($"Now serving KubeStash BackupStorage {storageName} ({catalog.Repositories.Count} repositories) at {target}");
        context.Error.WriteLine("When finished, quit with Ctrl-c here or umount the mountpoint.");
        context.Error.Flush();

        var refreshing = mount.RefreshLoopAsync(stop.Token);
        await session.Completion.ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await refreshing.ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
