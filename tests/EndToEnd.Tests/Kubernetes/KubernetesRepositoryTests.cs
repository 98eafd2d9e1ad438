using System.Text.Json.Nodes;
using StashMount.TestSupport;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.EndToEnd.Tests.Kubernetes;

/// <summary>
/// The stashmount binary finds a restic-written repository from Stash and KubeStash objects alone: a loopback
/// fake API server serves the objects, the repositories are local volumes (hostPath/mountPath) in a temp dir.
/// </summary>
[Collection("Kubernetes end to end")]
public sealed class KubernetesRepositoryTests : IAsyncLifetime
{
    private const string Token = "e2e-token";
    private readonly TempDirectory _temp = new("stashmount-k8s-e2e");
    private FakeKubernetesApiServer _server = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _server.AcceptedTokens[Token] = 0;
        _kubeconfig = KubeconfigWriter.Write(_temp.Combine("kubeconfig"), _server.Url, "", $"    token: {Token}", @namespace: "demo");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<string> MakeResticRepositoryAsync(string path, string password)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var source = _temp.CreateSubdirectory("source-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(Path.Combine(source, "hello.txt"), "hello from a pod\n");
        var restic = new ResticCli(path, password);
        await restic.InitAsync();
        return await restic.BackupAsync(source, ["."], "--host", "host-0");
    }

    private Task<ProcessResult> StashMountAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepositoryPaths.StashMountBinary, arguments, new Dictionary<string, string?>
        {
            ["RESTIC_REPOSITORY"] = null,
            ["RESTIC_PASSWORD"] = null,
            ["RESTIC_PASSWORD_FILE"] = null,
            ["KUBECONFIG"] = null,
            ["KUBERNETES_SERVICE_HOST"] = null,
            ["HOME"] = _temp.Path,
        }, timeout: TimeSpan.FromMinutes(2));

    [Fact]
    public async Task SnapshotsFromAStashRepositoryAlone()
    {
        var repository = _temp.Combine("volume", "stash-repo");
        var snapshot = await MakeResticRepositoryAsync(repository, "stash-pw");
        KubernetesObjects.AddStashRepository(_server, "demo", "local-repo",
            $$$"""{"local":{"mountPath":"{{{repository}}}","hostPath":{"path":"/elsewhere"}},"storageSecretName":"local-secret"}""");
        _server.AddSecret("demo", "local-secret", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "stash-pw" });

        var result = await StashMountAsync("snapshots", "--k8s-repository", "demo/local-repo", "--kubeconfig", _kubeconfig);
        AssertListed(result, snapshot);

        // The password really comes from the Secret: a wrong one there is restic's "wrong password" exit code.
        _server.AddSecret("demo", "local-secret", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "not-it" });
        var wrong = await StashMountAsync("snapshots", "--k8s-repository", "demo/local-repo", "--kubeconfig", _kubeconfig);
        Assert.True(wrong.ExitCode == 12, wrong.StandardError);
    }

    /// <summary>The repository opened with the resolved location and password, and its snapshot is listed.</summary>
    private static void AssertListed(ProcessResult result, string snapshot)
    {
        Assert.DoesNotContain("wrong password", result.StandardError);
        Assert.True(result.ExitCode != 10 && result.ExitCode != 12, result.StandardError);
        Assert.DoesNotContain("Kubernetes", result.StandardError);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains(snapshot[..8], result.StandardOutput);
    }

    [Fact]
    public async Task SnapshotsFromAKubeStashComponent()
    {
        var storageRoot = _temp.Combine("bs");
        var snapshot = await MakeResticRepositoryAsync(Path.Combine(storageRoot, "demo/app/repository/v1/daily/dump"), "enc-pw");
        await MakeResticRepositoryAsync(Path.Combine(storageRoot, "demo/app/repository/v1/daily/manifest"), "enc-pw");
        KubernetesObjects.AddBackupStorage(_server, "demo", "local-storage", "local", $$"""{"mountPath":"{{storageRoot}}"}""");
        KubernetesObjects.AddKubeStashRepository(_server, "demo", "app-repo", "demo", "local-storage", "/demo/app", "encrypt-secret");
        KubernetesObjects.AddKubeStashSnapshot(_server, "demo", "app-repo", "daily", "app-daily-1700000000",
            new Dictionary<string, string> { ["dump"] = snapshot, ["manifest"] = "0" });
        _server.AddSecret("demo", "encrypt-secret", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "enc-pw" });

        var ambiguous = await StashMountAsync("snapshots", "--kubestash-repository", "demo/app-repo", "--kubeconfig", _kubeconfig);
        Assert.Equal(1, ambiguous.ExitCode);
        Assert.Contains("daily/dump, daily/manifest", ambiguous.StandardError);

        var result = await StashMountAsync("snapshots", "--kubestash-repository", "app-repo", "--kubestash-component", "daily/dump", "--kubeconfig", _kubeconfig);
        AssertListed(result, snapshot);
    }

    [Fact]
    public async Task RbacDenialIsOneLine()
    {
        KubernetesObjects.AddStashRepository(_server, "demo", "locked", """{"local":{"mountPath":"/x"},"storageSecretName":"locked-secret"}""");
        _server.ForbiddenPaths["/api/v1/namespaces/demo/secrets/locked-secret"] = 0;
        var result = await StashMountAsync("snapshots", "--k8s-repository", "demo/locked", "--kubeconfig", _kubeconfig);
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Contains("cannot get secrets \"locked-secret\" in namespace \"demo\"", result.StandardError);
    }
}
