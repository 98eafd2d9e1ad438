using System.Text.Json.Nodes;
using StashMount.Backends.Kubernetes;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.Backends.Tests.Kubernetes;

/// <summary>KubeStash: Repository → BackupStorage + storage Secret + encryption Secret → one restic repository per component.</summary>
[Collection("Kubernetes API")]
public sealed class KubeStashResolverTests : FakeApiServerTest
{
    private KubernetesApiClient _client = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _client = Client();
        Server.AddSecret("demo", "encrypt-secret", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "enc-pw" });
    }

    public override async Task DisposeAsync()
    {
        _client.Dispose();
        await base.DisposeAsync();
    }

    [Theory]
    [InlineData("s3", """{"endpoint":"http://127.0.0.1:4568","bucket":"kubestash","prefix":"/demo","region":"us-east-1","secretName":"storage-secret"}""",
        "s3:http://127.0.0.1:4568/kubestash/demo/demo/sample-sts/repository/v1/demo-session/dump-pod-0", "AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY")]
    [InlineData("gcs", """{"bucket":"kubestash-qa","prefix":"demo","secretName":"storage-secret"}""",
        "gs:kubestash-qa:/demo/demo/sample-sts/repository/v1/demo-session/dump-pod-0", "GOOGLE_SERVICE_ACCOUNT_JSON_KEY,GOOGLE_PROJECT_ID")]
    [InlineData("azure", """{"storageAccount":"kubestashqa","container":"backups","prefix":"/demo","secretName":"storage-secret"}""",
        "azure:backups:/demo/demo/sample-sts/repository/v1/demo-session/dump-pod-0", "AZURE_ACCOUNT_KEY")]
    [InlineData("local", """{"mountPath":"/stashmount-test-not-here/bs","hostPath":{"path":"/var/kubestash"},"subPath":"cluster-a"}""",
        "/var/kubestash/cluster-a/demo/sample-sts/repository/v1/demo-session/dump-pod-0", "")]
    public async Task EveryProviderResolvesAComponent(string provider, string block, string expected, string keys)
    {
        var secretKeys = keys.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (secretKeys.Length > 0)
            Server.AddSecret("stash-system", "storage-secret", secretKeys.ToDictionary(k => k, k => "value-of-" + k));
        KubernetesObjects.AddBackupStorage(Server, "stash-system", "storage", provider, block);
        KubernetesObjects.AddKubeStashRepository(Server, "demo", "sts-repo", "stash-system", "storage", "/demo/sample-sts", "encrypt-secret");

        var resolved = await new KubeStashResolver(_client).ResolveComponentAsync(new("demo", "sts-repo"), "demo-session/dump-pod-0");
        Assert.Equal(expected, resolved.Repository);
        Assert.Equal("enc-pw", resolved.Credentials["RESTIC_PASSWORD"]);
        foreach (var key in secretKeys)
            Assert.Equal("value-of-" + key, resolved.Credentials[key]);
        if (provider == "azure")
            Assert.Equal("kubestashqa", resolved.Credentials["AZURE_ACCOUNT_NAME"]);
        if (provider == "s3")
            Assert.Equal("us-east-1", resolved.Credentials["AWS_DEFAULT_REGION"]);
    }

    [Fact]
    public async Task UnsupportedProviderListsTheSupportedOnes()
    {
        KubernetesObjects.AddBackupStorage(Server, "demo", "storage", "b2", """{"bucket":"x"}""");
        KubernetesObjects.AddKubeStashRepository(Server, "demo", "r", "demo", "storage", "p", "encrypt-secret");
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => new KubeStashResolver(_client).ResolveRepositoryAsync(new("demo", "r")));
        Assert.Contains("\"b2\", which is not supported; supported providers: s3, gcs, azure, local", error.Message);
    }

    [Fact]
    public async Task ComponentsComeFromSnapshotsAndStatus()
    {
        KubernetesObjects.AddBackupStorage(Server, "demo", "storage", "gcs", """{"bucket":"b","prefix":"p","secretName":"gcs-secret"}""");
        Server.AddSecret("demo", "gcs-secret", new Dictionary<string, string> { ["GOOGLE_SERVICE_ACCOUNT_JSON_KEY"] = "{}" });
        KubernetesObjects.AddKubeStashRepository(Server, "demo", "sts-repo", "demo", "storage", "demo/sts", "encrypt-secret", "repository/v1/weekly/manifest");
        KubernetesObjects.AddKubeStashSnapshot(Server, "demo", "sts-repo", "daily", "sts-backup-daily-1700000000",
            new Dictionary<string, string> { ["dump-pod-0"] = new('a', 64), ["dump-pod-1"] = new('b', 64) });
        KubernetesObjects.AddKubeStashSnapshot(Server, "demo", "sts-repo", "daily", "sts-backup-daily-1700086400",
            new Dictionary<string, string> { ["dump-pod-0"] = new('c', 64) });
        KubernetesObjects.AddKubeStashSnapshot(Server, "demo", "other-repo", "daily", "x-1", new Dictionary<string, string> { ["dump"] = new('d', 64) });

        var resolver = new KubeStashResolver(_client);
        var components = await resolver.ListComponentsAsync(new("demo", "sts-repo"));
        Assert.Equal(["daily/dump-pod-0", "daily/dump-pod-1", "weekly/manifest"], components.Select(c => c.Key));
        var pod0 = components[0];
        Assert.Equal([new string('a', 64)], pod0.ResticSnapshotsBySnapshot["sts-repo-sts-backup-daily-1700000000"]);
        Assert.Equal([new string('c', 64)], pod0.ResticSnapshotsBySnapshot["sts-repo-sts-backup-daily-1700086400"]);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => resolver.ResolveOnlyComponentAsync(new("demo", "sts-repo")));
        Assert.Contains("daily/dump-pod-0, daily/dump-pod-1, weekly/manifest", error.Message);
    }

    [Fact]
    public async Task StorageListsEveryRepositoryWithItsOwnPassword()
    {
        KubernetesObjects.AddBackupStorage(Server, "stash-system", "storage", "s3", """{"endpoint":"http://s3","bucket":"b","prefix":"root"}""",
            new JsonArray(new JsonObject { ["name"] = "late", ["namespace"] = "apps", ["path"] = "apps/late" }));
        Server.AddSecret("apps", "apps-enc", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "apps-pw" });
        KubernetesObjects.AddKubeStashRepository(Server, "demo", "a", "stash-system", "storage", "demo/a", "encrypt-secret");
        KubernetesObjects.AddKubeStashRepository(Server, "apps", "late", "stash-system", "storage", "apps/late", "apps-enc");
        KubernetesObjects.AddKubeStashRepository(Server, "demo", "elsewhere", "stash-system", "other-storage", "x", "encrypt-secret");
        // Listing across namespaces is denied: fall back to the storage's namespace and its status.
        Server.ForbiddenPaths["/apis/storage.kubestash.com/v1alpha1/repositories"] = 0;
        Server.Add(KubernetesObjects.KubeStashApi, "repositories", "stash-system", "local-one", JsonNode.Parse("""
            {"spec":{"storageRef":{"name":"storage"},"path":"sys","encryptionSecret":{"name":"sys-enc"}}}
            """)!.AsObject());
        Server.AddSecret("stash-system", "sys-enc", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "sys-pw" });

        var repositories = await new KubeStashResolver(_client).ResolveStorageAsync(new("stash-system", "storage"));
        Assert.Equal(["apps/late", "stash-system/local-one"], repositories.Select(r => r.Name.ToString()));
        Assert.Equal("apps-pw", repositories[0].Credentials["RESTIC_PASSWORD"]);
        Assert.Equal("s3:http://s3/b/root/apps/late/repository/v1/s/c", repositories[0].Component("s", "c").Repository);

        Server.ForbiddenPaths.Clear();
        var all = await new KubeStashResolver(_client).ResolveStorageAsync(new("stash-system", "storage"));
        Assert.Equal(["apps/late", "demo/a", "stash-system/local-one"], all.Select(r => r.Name.ToString()));
    }

    [Fact]
    public async Task LocalStorageComponentsAreFoundOnDiskWhenNoSnapshotListsThem()
    {
        using var temp = new StashMount.TestSupport.TempDirectory("stashmount-kubestash-local");
        var component = temp.Combine("demo", "app", "repository", "v1", "nightly", "dump");
        Directory.CreateDirectory(component);
        File.WriteAllText(Path.Combine(component, "config"), "not read here");
        Directory.CreateDirectory(temp.Combine("demo", "app", "repository", "v1", "nightly", "half-made"));
        KubernetesObjects.AddBackupStorage(Server, "demo", "local", "local", $$"""{"mountPath":"{{temp.Path}}"}""");
        KubernetesObjects.AddKubeStashRepository(Server, "demo", "app", "demo", "local", "demo/app", "encrypt-secret");

        var resolved = await new KubeStashResolver(_client).ResolveOnlyComponentAsync(new("demo", "app"));
        Assert.Equal(component, resolved.Repository);
        Assert.Equal("KubeStash Repository demo/app, component nightly/dump", resolved.Source);
    }
}
