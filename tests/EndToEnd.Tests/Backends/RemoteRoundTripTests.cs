using StashMount.Backends;
using StashMount.Backends.Azure;
using StashMount.Backends.S3;
using StashMount.EndToEnd.Tests.Mount;
using StashMount.EndToEnd.Tests.Writer;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Backends;

/// <summary>
/// Round trips through real storage servers with restic as the judge: restic writes over REST and stashmount lists,
/// restores and mounts it; stashmount writes over REST, S3 and Azure and restic checks every byte. Mounts are real
/// FUSE mounts: one that does not come up fails the test (in CI too).
/// </summary>
[Collection("Backends end to end")]
public sealed class RemoteRoundTripTests : IDisposable
{
    private readonly TempDirectory _temp = new("stashmount-e2e-roundtrip");

    public void Dispose() => _temp.Dispose();

    private string Source()
    {
        var source = _temp.Combine("source");
        if (!Directory.Exists(source))
            SampleFiles.Create(source, seed: 5);
        return source;
    }

    /// <summary>restic backs up "source" from the temp folder, so the snapshot's root holds "source".</summary>
    private static string InSnapshot(string mountPoint) => Path.Combine(mountPoint, "snapshots", "latest", "source");

    /// <summary>Credentials as a mounted Secret folder, the way a Stash pod gets them.</summary>
    private string SecretDirectory(IDictionary<string, string?> values)
    {
        var folder = _temp.CreateSubdirectory("secret-" + Guid.NewGuid().ToString("N")[..6]);
        foreach (var (name, value) in values)
            if (value != null)
                File.WriteAllText(Path.Combine(folder, name), value + "\n");
        return folder;
    }

    private static async Task AssertDiffEqualAsync(string expected, string actual)
    {
        var diff = await ProcessRunner.RunAsync("diff", ["-r", "--no-dereference", expected, actual], timeout: TimeSpan.FromMinutes(3));
        Assert.True(diff.ExitCode == 0, diff.StandardOutput + diff.StandardError);
    }

    [Fact]
    public async Task ResticWritesOverRestAndStashMountRestoresAndMountsIt()
    {
        await using var server = await StoragePeers.RcloneRestAsync(_temp.CreateSubdirectory("rclone"));
        var restic = new ResticCli($"rest:http://127.0.0.1:{server.Port}/restic-written/");
        await restic.InitAsync();
        var source = Source();
        await restic.BackupAsync(_temp.Path, ["source"]);

        var expected = _temp.Combine("restic-restore");
        var actual = _temp.Combine("stashmount-restore");
        (await restic.RunAsync("restore", "latest", "--target", expected)).EnsureSuccess("restic restore");
        var ours = new StashMountCli(restic.Repository);
        var restore = await ours.RunAsync(["restore", "latest", "--target", actual], new Dictionary<string, string?> { ["HOME"] = _temp.Path });
        Assert.True(restore.ExitCode == 0, restore.StandardError);
        TreeAssert.Equal(TreeCapture.Capture(expected), TreeCapture.Capture(actual));

        var mountPoint = _temp.CreateSubdirectory("mnt");
        await using var mount = await MountProcess.StartAsync(restic, mountPoint, "--refresh", "0");
        await AssertDiffEqualAsync(source, InSnapshot(mountPoint));
    }

    [Fact]
    public async Task StashMountBackupOverRestPassesResticCheckReadData()
    {
        await using var server = await StoragePeers.RcloneRestAsync(_temp.CreateSubdirectory("rclone"));
        var repository = $"rest:http://127.0.0.1:{server.Port}/stashmount-written/";
        var ours = new StashMountCli(repository);
        var environment = new Dictionary<string, string?> { ["HOME"] = _temp.Path };
        (await ours.RunAsync(["init"], environment)).EnsureSuccess("stashmount init over REST");
        var source = Source();
        (await ours.RunAsync(["backup", "--pack-size", "4", "--host", "e2e", source], environment)).EnsureSuccess("stashmount backup over REST");

        var restic = new ResticCli(repository);
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess("restic check --read-data over REST");
        var restored = _temp.Combine("restored");
        (await restic.RunAsync("restore", "latest", "--target", restored)).EnsureSuccess("restic restore over REST");
        TreeComparer.AssertSame(source, restored + source);
    }

    [Theory]
    [InlineData("s3")]
    [InlineData("azure")]
    public async Task StashMountBackupIntoObjectStoragePassesResticCheckReadData(string kind)
    {
        await using var server = kind == "s3"
            ? await StoragePeers.S3rverAsync(_temp.CreateSubdirectory("s3rver"))
            : await StoragePeers.AzuriteAsync(_temp.CreateSubdirectory("azurite"));
        var (repository, keys) = kind == "s3"
            ? ($"s3:http://127.0.0.1:{server.Port}/{StoragePeers.S3Bucket}/stash/written", StoragePeers.S3Keys())
            : ("azure:written:/stash/demo", StoragePeers.AzureKeys(server));
        var location = RepositoryLocation.Parse(repository);
        IBackend remote = kind == "s3"
            ? new S3Backend(location, StoragePeers.AsCredentials(keys), BackendOptions.Default)
            : new AzureBackend(location, StoragePeers.AsCredentials(keys), BackendOptions.Default);
        await using var _ = remote;
        if (remote is AzureBackend azure)
            await azure.CreateContainerAsync();

        var ours = new StashMountCli(repository);
        var environment = new Dictionary<string, string?>(keys) { ["HOME"] = _temp.Path };
        (await ours.RunAsync(["init"], environment)).EnsureSuccess($"stashmount init into {kind}");
        var source = Source();
        (await ours.RunAsync(["backup", "--pack-size", "4", source], environment)).EnsureSuccess($"stashmount backup into {kind}");
        Assert.Empty(await remote.ListAllAsync(FileType.Lock));

        var local = _temp.Combine("downloaded");
        Assert.True(await RepositoryDownload.CopyAsync(remote, local) > 5);
        var restic = new ResticCli(local);
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess($"restic check --read-data of the {kind} objects");
        var restored = _temp.Combine("restored");
        (await restic.RunAsync("restore", "latest", "--target", restored)).EnsureSuccess("restic restore");
        TreeComparer.AssertSame(source, restored + source);
    }

    [Fact]
    public async Task ResticRepositoryInS3rverIsMountedAndReadsBackEqual()
    {
        var source = Source();
        var local = new ResticCli(_temp.Combine("local-repo"));
        await local.InitAsync();
        await local.BackupAsync(_temp.Path, ["source"]);
        await using var server = await StoragePeers.S3rverAsync(_temp.CreateSubdirectory("s3rver"));
        var repository = $"s3:http://127.0.0.1:{server.Port}/{StoragePeers.S3Bucket}/stash/mounted";
        var keys = StoragePeers.S3Keys();
        await using (var s3 = new S3Backend(RepositoryLocation.Parse(repository), StoragePeers.AsCredentials(keys), BackendOptions.Default))
            await RepositoryUpload.CopyAsync(local.Repository, s3);

        var mountPoint = _temp.CreateSubdirectory("mnt");
        var overS3 = new ResticCli(repository);
        await using var mount = await MountProcess.StartAsync(overS3, mountPoint, "--refresh", "0", "--secret-dir", SecretDirectory(keys));
        var mounted = InSnapshot(mountPoint);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(source, "random.bin")), await File.ReadAllBytesAsync(Path.Combine(mounted, "random.bin")));
        await AssertDiffEqualAsync(source, mounted);
    }
}
