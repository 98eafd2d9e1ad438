using StashMount.EndToEnd.Tests.Mount;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Writable;

/// <summary>A restic repository, a spool folder and a mountpoint in one temp folder, for `mount --write` runs.</summary>
internal sealed class WritableMount : IDisposable
{
    private readonly TempDirectory _temp = new("stashmount-e2e-write");

    public WritableMount()
    {
        Restic = new ResticCli(_temp.Combine("repo"));
        MountPoint = _temp.CreateSubdirectory("mnt");
    }

    public ResticCli Restic { get; }

    public string MountPoint { get; }

    public string New => Path.Combine(MountPoint, "new");

    public string Spool => _temp.Combine("spool");

    public string Combine(string name) => _temp.Combine(name);

    public string CreateSubdirectory(string name) => _temp.CreateSubdirectory(name);

    public Task<MountProcess> StartAsync(params string[] extra) =>
        MountProcess.StartAsync(Restic, MountPoint, ["--write", "--spool-dir", Spool, "--refresh", "0", .. extra]);

    public Task<ProcessResult> CommitAsync() =>
        ProcessRunner.RunAsync(RepositoryPaths.StashMountBinary, ["commit", MountPoint], new Dictionary<string, string?>(), timeout: TimeSpan.FromMinutes(5));

    /// <summary>The snapshot ID `stashmount commit` printed, after checking it succeeded.</summary>
    public async Task<string> CommitIdAsync(MountProcess mount)
    {
        var result = await CommitAsync();
        Assert.True(result.ExitCode == 0, $"commit exit {result.ExitCode}: {result.StandardError}\n{mount.Output}");
        var id = result.StandardOutput.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        return id;
    }

    /// <summary>
    /// restic check --read-data, then a restore of <paramref name="snapshot"/> into a new folder. --no-lock: the
    /// mount holds a non-exclusive lock, and check wants an exclusive one.
    /// </summary>
    public async Task<string> CheckAndRestoreAsync(string snapshot, string name)
    {
        (await Restic.RunAsync("--no-lock", "check", "--read-data")).EnsureSuccess("restic check --read-data");
        var target = _temp.Combine(name);
        (await Restic.RunAsync("restore", snapshot, "--target", target)).EnsureSuccess("restic restore");
        return target;
    }

    public async Task<int> SnapshotCountAsync()
    {
        var json = (await Restic.RunAsync("snapshots", "--json")).EnsureSuccess("restic snapshots").StandardOutput;
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetArrayLength();
    }

    public void Dispose()
    {
        FuseMounts.ForceUnmount(MountPoint);
        _temp.Dispose();
    }
}
