using StashMount.Backends.Kubernetes;
using StashMount.TestSupport;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.Backends.Tests.Kubernetes;

/// <summary>A whole BackupStorage: Repositories from the API and from the bucket's metadata.yaml/repository.yaml, components and Snapshots from both.</summary>
[Collection("Kubernetes API")]
public sealed class KubeStashStorageCatalogTests : FakeApiServerTest
{
    private readonly TempDirectory _temp = new("stashmount-kubestash-catalog");
    private readonly List<string> _log = [];
    private KubernetesApiClient? _client;

    public override async Task DisposeAsync()
    {
        _client?.Dispose();
        _temp.Dispose();
        await base.DisposeAsync();
    }

    private void Write(string relative, string text)
    {
        var path = _temp.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private async Task<KubeStashStorageCatalog> LoadAsync()
    {
        _client = Client(); // the catalog reads Secrets with it later
        var storage = await KubeStashStorage.GetAsync(_client, new("demo", "local"), default);
        await using var objects = new LocalStorageObjects(_temp.Path);
        return await KubeStashStorageCatalog.LoadAsync(_client, storage, objects, _log.Add);
    }

    private void Arrange()
    {
        KubernetesObjects.AddBackupStorage(Server, "demo", "local", "local", $$"""{"mountPath":"{{_temp.Path}}"}""");
        KubernetesObjects.AddKubeStashRepository(Server, "demo", "api-repo", "demo", "local", "/demo/api", "api-enc", "repository/v1/daily/dump");
        KubernetesObjects.AddKubeStashSnapshot(Server, "demo", "api-repo", "daily", "api-daily-1", new Dictionary<string, string> { ["dump"] = "fedcba9876543210" });
        KubernetesObjects.AddKubeStashRepository(Server, "demo", "elsewhere", "demo", "other-storage", "/x", "api-enc", "repository/v1/daily/dump");
        Write("metadata.yaml", "apiVersion: config.kubestash.com/v1alpha1\nkind: BackendMeta\nrepositories:\n- name: api-repo\n  namespace: demo\n  path: /demo/api\n- name: bucket-repo\n  namespace: demo\n  path: demo/bucket\n");
        Write("demo/bucket/repository.yaml", "kind: Repository\nmetadata:\n  name: bucket-repo\n  namespace: demo\nspec:\n  path: /demo/bucket\n  encryptionSecret:\n    name: bucket-enc\n");
        Write("demo/bucket/snapshots/bucket-repo-s-1.yaml",
            "kind: Snapshot\nmetadata:\n  name: bucket-repo-s-1\n  namespace: demo\nspec:\n  repository: bucket-repo\n  session: hourly\n  version: v1\nstatus:\n  components:\n    db:\n      path: repository/v1/hourly/db\n      resticStats:\n      - id: 0123456789abcdef\n        hostPath: /data\n");
        Write("demo/bucket/repository/v1/hourly/db/config", "x");
        Write("demo/bucket/repository/v1/hourly/wal/config", "x");
        Write("demo/bucket/repository/v1/hourly/wal/data/00/0011", "x");
    }

    [Fact]
    public async Task RepositoriesComeFromTheApiAndTheBucket()
    {
        Arrange();
        var catalog = await LoadAsync();
        Assert.Equal(["demo/api-repo", "demo/bucket-repo"], catalog.Repositories.Select(r => r.Name.ToString()));
        var api = catalog.Repositories[0];
        Assert.Equal(["daily/dump"], api.Components.Select(c => c.Key));
        Assert.Equal(new KubernetesObjectName("demo", "api-enc"), api.EncryptionSecret);
        Assert.Equal(["fedcba9876543210"], api.Components[0].ResticSnapshotsBySnapshot["api-repo-api-daily-1"]);

        var bucket = catalog.Repositories[1];
        Assert.Equal("demo/bucket", bucket.Path);
        Assert.Equal(new KubernetesObjectName("demo", "bucket-enc"), bucket.EncryptionSecret);
        Assert.Equal(["hourly/db", "hourly/wal"], bucket.Components.Select(c => c.Key));
        Assert.Equal(["0123456789abcdef"], bucket.Components[0].ResticSnapshotsBySnapshot["bucket-repo-s-1"]);
        Assert.Equal(_temp.Combine("demo", "bucket", "repository", "v1", "hourly", "wal"), catalog.Component(bucket, bucket.Components[1]).Repository);
        Assert.Empty(_log);
    }

    [Fact]
    public async Task PasswordsAreReadOnlyWhenAskedAndAMissingSecretIsNamed()
    {
        Arrange();
        Server.AddSecret("demo", "api-enc", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "api-pw" });
        var catalog = await LoadAsync();
        Assert.Equal("api-pw", await catalog.ReadPasswordAsync(catalog.Repositories[0]));
        var missing = await Assert.ThrowsAsync<KubernetesApiException>(() => catalog.ReadPasswordAsync(catalog.Repositories[1]));
        Assert.Contains("bucket-enc", missing.Message);
    }

    [Fact]
    public async Task WithoutRightsToListTheBucketStillShowsItsRepositories()
    {
        Arrange();
        File.Delete(_temp.Combine("metadata.yaml"));
        Server.ForbiddenPaths["/apis/storage.kubestash.com/v1alpha1/repositories"] = 0;
        Server.ForbiddenPaths["/apis/storage.kubestash.com/v1alpha1/namespaces/demo/repositories"] = 0;
        var catalog = await LoadAsync();
        Assert.Equal(["demo/bucket-repo"], catalog.Repositories.Select(r => r.Name.ToString()));
        Assert.Single(_log, line => line.Contains("repositories", StringComparison.Ordinal));
    }
}
