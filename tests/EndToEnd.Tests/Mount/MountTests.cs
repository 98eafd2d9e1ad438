using System.Text;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Mount;

/// <summary>
/// Mounts restic-written repositories with the real stashmount binary and checks what tools see through the mount
/// against the source tree. With CI=true (and everywhere else) a mount that does not come up fails the test.
/// </summary>
[Collection("mount")]
public sealed class MountTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("stashmount-e2e-mount");
    private ResticCli _restic = null!;
    private string _source = null!;
    private string _mountPoint = null!;
    private readonly byte[] _big = new byte[3 * 1024 * 1024 + 17];

    public async Task InitializeAsync()
    {
        new Random(42).NextBytes(_big);
        _restic = new ResticCli(_temp.Combine("repo"));
        await _restic.InitAsync();
        _source = _temp.CreateSubdirectory("data");
        _mountPoint = _temp.CreateSubdirectory("mnt");
        SampleTree.Create(_source, _big);
    }

    private Task<string> BackupAsync(params string[] extra) => _restic.BackupAsync(_temp.Path, ["data"], extra);

    private static string LatestOf(string mountPoint) => Path.Combine(mountPoint, "snapshots", "latest");

    [Fact]
    public async Task CopyOfSnapshotEqualsTheSource()
    {
        await BackupAsync("--host", "e2e-host", "--tag", "t1");
        await using var mount = await MountProcess.StartAsync(_restic, _mountPoint, "--refresh", "0");
        var copied = _temp.Combine("copy");
        var cp = await ProcessRunner.RunAsync("cp", ["-a", Path.Combine(LatestOf(_mountPoint), "data"), copied], timeout: TimeSpan.FromMinutes(3));
        Assert.True(cp.ExitCode == 0, cp.StandardError + mount.Output);
        var diff = await ProcessRunner.RunAsync("diff", ["-r", "--no-dereference", _source, copied]);
        Assert.True(diff.ExitCode == 0, diff.StandardOutput + diff.StandardError);
        SampleTree.AssertSameAttributes(_source, copied);

        var mounted = Path.Combine(LatestOf(_mountPoint), "data");
        SampleTree.AssertSameAttributes(_source, mounted);
        Assert.True(SampleTree.SameInode(Path.Combine(mounted, "hard-a"), Path.Combine(mounted, "sub", "hard-b")), "hardlinks share an inode");
        var xattr = await ProcessRunner.RunAsync("getfattr", ["--only-values", "-n", "user.note", Path.Combine(mounted, "hello.txt")]);
        if (SampleTree.HasXattr)
            Assert.Equal("kept", xattr.StandardOutput);

        Assert.True(Directory.Exists(Path.Combine(_mountPoint, "hosts", "e2e-host", "latest", "data")));
        Assert.True(Directory.Exists(Path.Combine(_mountPoint, "tags", "t1", "latest", "data")));
        var ids = Directory.GetDirectories(Path.Combine(_mountPoint, "ids"));
        Assert.Single(ids);
        Assert.Equal(_big, await File.ReadAllBytesAsync(Path.Combine(ids[0], "data", "big.bin")));
    }

    /// <summary>tar walks directory after directory of small files: their content reaches the kernel ahead of the
    /// reads (fetched a few directories ahead, stored when a listing is complete), and must be byte for byte right.</summary>
    [Fact]
    public async Task TarOfManySmallFileDirectoriesEqualsTheSource()
    {
        var random = new Random(7);
        var small = Path.Combine(_source, "small");
        for (var d = 0; d < 12; d++)
        {
            var directory = Directory.CreateDirectory(Path.Combine(small, $"d{d}")).FullName;
            for (var f = 0; f < 30; f++)
            {
                var content = new byte[random.Next(1, 5000)];
                random.NextBytes(content);
                await File.WriteAllBytesAsync(Path.Combine(directory, $"f{f}"), content);
            }
        }
        await BackupAsync();
        await using var mount = await MountProcess.StartAsync(_restic, _mountPoint, "--refresh", "0");
        var copied = _temp.CreateSubdirectory("untarred");
        var tar = await ProcessRunner.RunAsync("sh", ["-c", "tar -C \"$1\" -cf - small | tar -C \"$2\" -xf -", "sh", Path.Combine(LatestOf(_mountPoint), "data"), copied],
            timeout: TimeSpan.FromMinutes(3));
        Assert.True(tar.ExitCode == 0, tar.StandardError + mount.Output);
        var diff = await ProcessRunner.RunAsync("diff", ["-r", small, Path.Combine(copied, "small")]);
        Assert.True(diff.ExitCode == 0, diff.StandardOutput + diff.StandardError);
    }

    [Fact]
    public async Task NewSnapshotAppearsAfterRefreshAndSigtermUnmounts()
    {
        await BackupAsync();
        await using var mount = await MountProcess.StartAsync(_restic, _mountPoint, "--refresh", "1s");
        var snapshots = Path.Combine(_mountPoint, "snapshots");
        Assert.Equal(2, Directory.GetFileSystemEntries(snapshots).Length); // one time + latest
        var locks = Path.Combine(_restic.Repository, "locks");
        Assert.Single(Directory.GetFiles(locks)); // the mount's non-exclusive lock

        await File.WriteAllTextAsync(Path.Combine(_source, "added.txt"), "new file\n");
        await BackupAsync();
        Assert.True(await FuseMounts.WaitUntilAsync(() => Directory.GetFileSystemEntries(snapshots).Length == 3, TimeSpan.FromMinutes(2)),
            "the second snapshot did not appear: " + mount.Output);
        Assert.True(await FuseMounts.WaitUntilAsync(() => File.Exists(Path.Combine(LatestOf(_mountPoint), "data", "added.txt")), TimeSpan.FromMinutes(1)));
        Assert.Equal("new file\n", await File.ReadAllTextAsync(Path.Combine(LatestOf(_mountPoint), "data", "added.txt")));

        mount.Signal(15);
        Assert.True(await mount.WaitForExitAsync(TimeSpan.FromMinutes(1)), "stashmount did not exit on SIGTERM");
        Assert.Equal(0, mount.ExitCode);
        Assert.False(FuseMounts.IsMounted(_mountPoint));
        Assert.Empty(Directory.GetFiles(locks)); // removed at unmount
    }

    [Fact]
    public async Task CorruptPackFailsOnlyTheAffectedFile()
    {
        await BackupAsync();
        var packs = Directory.GetFiles(_temp.Combine("repo", "data"), "*", SearchOption.AllDirectories).ToHashSet();
        var other = new byte[2 * 1024 * 1024];
        new Random(7).NextBytes(other);
        await File.WriteAllBytesAsync(Path.Combine(_source, "victim.bin"), other);
        await BackupAsync();
        var largestNew = Directory.GetFiles(_temp.Combine("repo", "data"), "*", SearchOption.AllDirectories)
            .Where(p => !packs.Contains(p)).OrderByDescending(p => new FileInfo(p).Length).First();
        File.SetUnixFileMode(largestNew, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var stream = new FileStream(largestNew, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 1000;
            var b = stream.ReadByte();
            stream.Position = 1000;
            stream.WriteByte((byte)(b ^ 0xFF));
        }

        await using var mount = await MountProcess.StartAsync(_restic, _mountPoint, "--refresh", "0");
        var data = Path.Combine(LatestOf(_mountPoint), "data");
        var error = await Assert.ThrowsAnyAsync<IOException>(() => File.ReadAllBytesAsync(Path.Combine(data, "victim.bin")));
        Assert.Contains("Input/output error", error.Message);
        Assert.Equal(_big, await File.ReadAllBytesAsync(Path.Combine(data, "big.bin")));
        Assert.Equal("hello, mount\n", await File.ReadAllTextAsync(Path.Combine(data, "hello.txt")));
        Assert.False(mount.HasExited);
    }

    [Fact]
    public async Task MountPointErrorsAreOneLine()
    {
        await BackupAsync();
        var missing = await ProcessRunner.RunAsync(RepositoryPaths.StashMountBinary, ["mount", _temp.Combine("absent")], _restic.Environment());
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.StandardError);
        Assert.Single(missing.StandardError.Trim().Split('\n'));

        await using var mount = await MountProcess.StartAsync(_restic, _mountPoint, "--refresh", "0");
        var again = await ProcessRunner.RunAsync(RepositoryPaths.StashMountBinary, ["mount", _mountPoint], _restic.Environment());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already mounted", again.StandardError);
        Assert.Single(again.StandardError.Trim().Split('\n'));
    }

    [Fact]
    public async Task SingleSnapshotSubdirectoryAtTheRoot()
    {
        var id = await BackupAsync();
        await using var mount = await MountProcess.StartAsync(_restic, _mountPoint, "--snapshot", $"{id[..8]}:data/sub", "--owner-root");
        Assert.Equal(Encoding.UTF8.GetBytes("deep\n"), await File.ReadAllBytesAsync(Path.Combine(_mountPoint, "deep.txt")));
        Assert.False(Directory.Exists(Path.Combine(_mountPoint, "snapshots")));
    }

    public Task DisposeAsync()
    {
        FuseMounts.ForceUnmount(_mountPoint);
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
