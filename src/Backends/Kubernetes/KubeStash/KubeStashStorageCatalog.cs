namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Everything a BackupStorage holds, for a whole-storage view: the Repositories whose spec.storageRef names it
/// (from the API), those its status and the bucket's metadata.yaml list (completed from their repository.yaml),
/// and each one's components and Snapshots. Secrets are read only when a component is opened, so one missing
/// Secret costs one Repository, not the view.
/// </summary>
public sealed class KubeStashStorageCatalog
{
    private readonly KubernetesApiClient _client;

    private KubeStashStorageCatalog(KubernetesApiClient client, KubeStashStorage storage, IReadOnlyList<KubeStashStoredRepository> repositories)
    {
        _client = client;
        Storage = storage;
        Repositories = repositories;
    }

    public KubeStashStorage Storage { get; }

    public IReadOnlyList<KubeStashStoredRepository> Repositories { get; }

    /// <param name="objects">The storage's plain objects (null when the provider has no reader): metadata.yaml, repository.yaml, Snapshot YAMLs.</param>
    /// <param name="log">One line per source that could not be read (RBAC, missing file); the view is built from the rest.</param>
    public static async Task<KubeStashStorageCatalog> LoadAsync(KubernetesApiClient client, KubeStashStorage storage, IStorageObjects? objects,
        Action<string> log, CancellationToken cancellationToken = default)
    {
        var scanner = new KubeStashStorageScanner(client, storage, objects, log);
        var repositories = await scanner.ScanAsync(cancellationToken).ConfigureAwait(false);
        return new KubeStashStorageCatalog(client, storage, repositories);
    }

    /// <summary>The repository's RESTIC_PASSWORD from its encryption Secret (throws <see cref="KubernetesApiException"/> naming what is missing).</summary>
    public async Task<string> ReadPasswordAsync(KubeStashStoredRepository repository, CancellationToken cancellationToken = default)
    {
        var secret = repository.EncryptionSecret
            ?? throw new KubernetesApiException($"KubeStash Repository {repository.Name} names no spec.encryptionSecret");
        var data = await KubernetesSecret.GetAsync(_client, secret, cancellationToken).ConfigureAwait(false);
        return data.Require("RESTIC_PASSWORD");
    }

    /// <summary>The restic repository string and storage credentials of one component (no password in them).</summary>
    public ResolvedRepository Component(KubeStashStoredRepository repository, KubeStashComponent component) =>
        new(Storage.RepositoryString(ResticRepositoryStrings.JoinPath(repository.Path, component.Path)), Storage.Credentials())
        {
            InsecureTls = Storage.InsecureTls,
            Connections = Storage.Connections,
            Source = $"KubeStash Repository {repository.Name}, component {component.Key}",
        };

    /// <summary>A reader for the storage's plain objects: local volumes and S3 (GCS/Azure storages are listed from the API only).</summary>
    public static IStorageObjects? ObjectsOf(KubeStashStorage storage, ICredentialSource fallback, BackendOptions options) => storage.Provider switch
    {
        "local" => new LocalStorageObjects(storage.RepositoryString("")),
        "s3" => new S3StorageObjects(RepositoryLocation.Parse(storage.RepositoryString("")),
            new LayeredCredentialSource(new DictionaryCredentialSource(storage.Credentials()), fallback), options with { InsecureTls = options.InsecureTls || storage.InsecureTls }),
        _ => null,
    };
}
