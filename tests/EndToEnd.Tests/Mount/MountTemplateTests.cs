using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Mount;

/// <summary>--path-template and --time-template shape the listing as restic 0.14 does; files read back unchanged.</summary>
[Collection("mount")]
public sealed class MountTemplateTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("stashmount-e2e-templates");
    private ResticCli _restic = null!;

    public async Task InitializeAsync()
    {
        _restic = new ResticCli(_temp.Combine("repo"));
        await _restic.InitAsync();
        var data = _temp.CreateSubdirectory("data");
        await File.WriteAllTextAsync(Path.Combine(data, "a.txt"), "first\n");
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    private static string[] Names(params string[] path) =>
        [.. Directory.GetFileSystemEntries(Path.Combine(path)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public async Task TemplatesShapeTheTree()
    {
        var first = await _restic.FullSnapshotIdAsync(await _restic.BackupAsync(_temp.Path, ["data"], "--host", "web-1", "--tag", "daily"));
        await File.WriteAllTextAsync(_temp.Combine("data", "a.txt"), "second\n");
        var second = await _restic.FullSnapshotIdAsync(await _restic.BackupAsync(_temp.Path, ["data"], "--host", "web-1"));
        var times = (await _restic.RunAsync("snapshots", "--json")).EnsureSuccess("restic snapshots").StandardOutput;
        using var json = System.Text.Json.JsonDocument.Parse(times);
        var year = json.RootElement[0].GetProperty("time").GetDateTimeOffset().UtcDateTime.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture);

        var mountPoint = _temp.CreateSubdirectory("mnt");
        await using var mount = await MountProcess.StartAsync(_restic, mountPoint, "--refresh", "0",
            "--path-template", "by-host/%h/%T", "--path-template", "long/%I", "--path-template", "tagged/%t/%i", "--time-template", "2006/01-02_15.04.05.000");
        Assert.Equal(["by-host", "long", "tagged"], Names(mountPoint));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), Names(mountPoint, "long"));
        Assert.Equal(["daily"], Names(mountPoint, "tagged"));
        Assert.Equal([first[..8]], Names(mountPoint, "tagged", "daily"));
        Assert.Equal([year, "latest"], Names(mountPoint, "by-host", "web-1"));
        var latest = new FileInfo(Path.Combine(mountPoint, "by-host", "web-1", "latest")).LinkTarget!;
        Assert.StartsWith(year + "/", latest);
        Assert.Equal("second\n", await File.ReadAllTextAsync(Path.Combine(mountPoint, "by-host", "web-1", "latest", "data", "a.txt")));
        Assert.Equal("first\n", await File.ReadAllTextAsync(Path.Combine(mountPoint, "long", first, "data", "a.txt")));
        Assert.Equal("first\n", await File.ReadAllTextAsync(Path.Combine(mountPoint, "tagged", "daily", first[..8], "data", "a.txt")));
    }

    [Fact]
    public async Task TimeTemplateWithSlashAtAnEndIsRefused()
    {
        var mountPoint = _temp.CreateSubdirectory("mnt");
        var result = await ProcessRunner.RunAsync(RepositoryPaths.StashMountBinary, ["mount", mountPoint, "--time-template", "2006/"], _restic.Environment(), timeout: TimeSpan.FromMinutes(2));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("time template string cannot start or end with '/'", result.StandardError);
        Assert.False(FuseMounts.IsMounted(mountPoint));
    }
}
