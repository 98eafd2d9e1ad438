using StashMount.EndToEnd.Tests.Mount;
using StashMount.TestSupport;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.EndToEnd.Tests.Kubernetes;

/// <summary>
/// <c>mount --kubestash-storage</c> over a BackupStorage in s3rver: Repositories found in the API (app-repo,
/// lost-repo) and only in the bucket's metadata.yaml/repository.yaml (db-repo); sessions and components written
/// by restic; KubeStash Snapshots from the API and from the bucket's Snapshot YAML. A component whose password is
/// wrong or whose Secret is missing is EIO with one log line; everything else reads back equal to its source.
/// </summary>
[Collection("Kubernetes end to end")]
public sealed class KubeStashStorageMountTests : IAsyncLifetime
{
    private const string Token = "e2e-token";
    private readonly TempDirectory _temp = new("stashmount-kubestash-storage");
    private FakeKubernetesApiServer _api = null!;
    private PeerServer _s3 = null!;
    private KubeStashBucket _bucket = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApiServer.StartAsync();
        _api.AcceptedTokens[Token] = 0;
        _kubeconfig = KubeconfigWriter.Write(_temp.Combine("kubeconfig"), _api.Url, "", $"    token: {Token}", @namespace: "demo");
        _s3 = await PeerServer.StartAsync("s3rver",
            port => ["-d", _temp.CreateSubdirectory("s3rver"), "-a", "127.0.0.1", "-p", port.ToString(), "--configure-bucket", "kubestash", "--silent"],
            new Dictionary<string, string?> { ["NODE_OPTIONS"] = "--openssl-legacy-provider" });
        _bucket = new KubeStashBucket(_s3, "kubestash", "demo-storage", _temp);
    }

    public async Task DisposeAsync()
    {
        await _s3.DisposeAsync();
        await _api.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>A folder holding data/ with a text file and 1 MiB of random bytes, different for every name.</summary>
    private string Source(string name)
    {
        var data = _temp.CreateSubdirectory(Path.Combine("sources", name, "data"));
        File.WriteAllText(Path.Combine(data, "hello.txt"), $"hello from {name}\n");
        var bytes = new byte[1024 * 1024 + name.Length];
        new Random(name.GetHashCode()).NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(data, "blob.bin"), bytes);
        Directory.CreateDirectory(Path.Combine(data, "sub"));
        File.WriteAllText(Path.Combine(data, "sub", "note.txt"), name);
        return Path.GetDirectoryName(data)!;
    }

    [Fact]
    public async Task WholeStorageIsBrowsableAndReadsBackEqual()
    {
        // app-repo: in the API, two sessions, three components, Snapshots in the API.
        var pod0 = await _bucket.WriteComponentAsync("demo/app", "daily", "dump-pod-0", "app-pw", Source("pod0-a"), Source("pod0-b"));
        var pod1 = await _bucket.WriteComponentAsync("demo/app", "daily", "dump-pod-1", "app-pw", Source("pod1"));
        var manifest = await _bucket.WriteComponentAsync("demo/app", "weekly", "manifest", "app-pw", Source("manifest"));
        // db-repo: only in the bucket (metadata.yaml, repository.yaml, a Snapshot YAML); "other" has another password.
        var db = await _bucket.WriteComponentAsync("demo/db", "hourly", "dump", "db-pw", Source("db"));
        await _bucket.WriteComponentAsync("demo/db", "hourly", "other", "not-db-pw", Source("other"));

        KubernetesObjects.AddBackupStorage(_api, "demo", "s3-storage", "s3",
            $$"""{"endpoint":"{{_bucket.Endpoint}}","bucket":"kubestash","prefix":"/demo-storage","secretName":"s3-secret"}""");
        _api.AddSecret("demo", "s3-secret", new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = KubeStashBucket.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = KubeStashBucket.AccessKey });
        KubernetesObjects.AddKubeStashRepository(_api, "demo", "app-repo", "demo", "s3-storage", "/demo/app", "app-enc");
        _api.AddSecret("demo", "app-enc", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "app-pw" });
        KubernetesObjects.AddKubeStashSnapshot(_api, "demo", "app-repo", "daily", "app-daily-1700000000",
            new Dictionary<string, string> { ["dump-pod-0"] = pod0[0], ["dump-pod-1"] = pod1[0] });
        KubernetesObjects.AddKubeStashSnapshot(_api, "demo", "app-repo", "daily", "app-daily-1700003600",
            new Dictionary<string, string> { ["dump-pod-0"] = pod0[1] });
        KubernetesObjects.AddKubeStashSnapshot(_api, "demo", "app-repo", "weekly", "app-weekly-1700000000",
            new Dictionary<string, string> { ["manifest"] = manifest[0] });
        KubernetesObjects.AddKubeStashRepository(_api, "demo", "lost-repo", "demo", "s3-storage", "/demo/lost", "gone-secret", "repository/v1/hourly/dump");
        _api.AddSecret("demo", "db-enc", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "db-pw" });
        await _bucket.PutAsync("metadata.yaml", KubeStashYaml.Metadata(("app-repo", "/demo/app"), ("db-repo", "/demo/db")));
        await _bucket.PutAsync("demo/db/repository.yaml", KubeStashYaml.Repository("db-repo", "/demo/db", "db-enc"));
        await _bucket.PutAsync("demo/db/snapshots/db-repo-db-hourly-1700000000.yaml", KubeStashYaml.Snapshot("db-repo", "hourly", "db-repo-db-hourly-1700000000", ("dump", db[0])));

        var mountPoint = _temp.CreateSubdirectory("mnt");
        await using var mount = await MountProcess.StartAsync(new ResticCli("/nonexistent", "unused"), mountPoint,
            "--kubestash-storage", "demo/s3-storage", "--kubeconfig", _kubeconfig, "--refresh", "0");

        try
        {
            Assert.Equal(["app-repo", "db-repo", "lost-repo"], Names(mountPoint));
            Assert.Equal(["daily", "snapshots", "weekly"], Names(mountPoint, "app-repo"));
            Assert.Equal(["dump-pod-0", "dump-pod-1"], Names(mountPoint, "app-repo", "daily"));
            Assert.Equal(["manifest"], Names(mountPoint, "app-repo", "weekly"));
            Assert.Equal(["hourly", "snapshots"], Names(mountPoint, "db-repo"));
            Assert.Equal(["dump", "other"], Names(mountPoint, "db-repo", "hourly"));

            await AssertSameAsync("pod0-b", mountPoint, "app-repo/daily/dump-pod-0/snapshots/latest");
            await AssertSameAsync("pod0-a", mountPoint, $"app-repo/daily/dump-pod-0/ids/{pod0[0][..8]}");
            await AssertSameAsync("pod1", mountPoint, "app-repo/daily/dump-pod-1/hosts/dump-pod-1/latest");
            await AssertSameAsync("manifest", mountPoint, "app-repo/weekly/manifest/snapshots/latest");
            await AssertSameAsync("db", mountPoint, "db-repo/hourly/dump/snapshots/latest");
            Assert.Equal(["hosts", "ids", "snapshots", "tags"], Names(mountPoint, "app-repo", "daily", "dump-pod-0"));

            // KubeStash Snapshots link to their restic snapshots, also from the bucket's Snapshot YAML.
            Assert.Equal(new[] { "app-daily-1700000000", "app-daily-1700003600", "app-weekly-1700000000" }.Select(n => "app-repo-" + n), Names(mountPoint, "app-repo", "snapshots"));
            var link = Path.Combine(mountPoint, "app-repo", "snapshots", "app-repo-app-daily-1700003600", "dump-pod-0");
            Assert.Equal($"../../daily/dump-pod-0/ids/{pod0[1][..8]}", new FileInfo(link).LinkTarget);
            await AssertSameAsync("pod0-b", mountPoint, "app-repo/snapshots/app-repo-app-daily-1700003600/dump-pod-0");
            await AssertSameAsync("pod1", mountPoint, "app-repo/snapshots/app-repo-app-daily-1700000000/dump-pod-1");
            await AssertSameAsync("db", mountPoint, "db-repo/snapshots/db-repo-db-hourly-1700000000/dump");

            // Wrong password and missing Secret: EIO for that component only, one log line each, the mount stays up.
            Assert.Throws<IOException>(() => Directory.GetFileSystemEntries(Path.Combine(mountPoint, "db-repo", "hourly", "other")));
            Assert.Throws<IOException>(() => Directory.GetFileSystemEntries(Path.Combine(mountPoint, "lost-repo", "hourly", "dump")));
            Assert.Throws<IOException>(() => Directory.GetFileSystemEntries(Path.Combine(mountPoint, "lost-repo", "hourly", "dump")));
            Assert.False(mount.HasExited, mount.Output);
            // stderr reaches the test through an asynchronous pipe reader: wait for the lines, then count them.
            Assert.True(await FuseMounts.WaitUntilAsync(() => LogLines(mount, "db-repo/hourly/other").Length > 0 && LogLines(mount, "lost-repo/hourly/dump").Length > 0,
                TimeSpan.FromMinutes(1)), "no log line for the failed components");
            Assert.Single(LogLines(mount, "db-repo/hourly/other"));
            Assert.Single(LogLines(mount, "lost-repo/hourly/dump"));
            Assert.Contains("gone-secret", LogLines(mount, "lost-repo/hourly/dump")[0]);
            await AssertSameAsync("db", mountPoint, "db-repo/hourly/dump/snapshots/latest");
        }
        catch (Exception e) when (!e.Message.Contains("mount log:", StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\nmount log:\n{mount.Output}");
        }
    }

    private static string[] Names(string mountPoint, params string[] path) =>
        [.. Directory.GetFileSystemEntries(Path.Combine([mountPoint, .. path])).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static string[] LogLines(MountProcess mount, string path) =>
        [.. mount.Output.Split('\n').Where(l => l.Contains(path, StringComparison.Ordinal))];

    private async Task AssertSameAsync(string source, string mountPoint, string snapshotPath)
    {
        var mounted = Path.Combine(mountPoint, snapshotPath, "data");
        var diff = await ProcessRunner.RunAsync("diff", ["-r", Path.Combine(_temp.Path, "sources", source, "data"), mounted], timeout: TimeSpan.FromMinutes(2));
        Assert.True(diff.ExitCode == 0, $"{snapshotPath}: {diff.StandardOutput}{diff.StandardError}");
    }
}
