using StashMount.EndToEnd.Tests.Mount;
using StashMount.TestSupport;
using TestTree = StashMount.TestSupport.SampleTree;

namespace StashMount.EndToEnd.Tests.Writable;

/// <summary>
/// `mount --write` end to end with the real binary, FUSE and restic as the judge: what is copied into new/ becomes
/// one snapshot (on `stashmount commit`, when idle, after a SIGKILL and restart) that restic checks and restores.
/// </summary>
[Collection("mount")]
public sealed class WritableMountTests
{
    private static readonly TreeCapture.Options Compare = new(AccessTimes: false);

    [Fact]
    public async Task CopyIntoNewThenCommitGivesASnapshotResticRestoresAsCopied()
    {
        using var fixture = new WritableMount();
        await fixture.Restic.InitAsync();
        var source = fixture.Combine("source");
        TestTree.Create(source, bigFileBytes: 3 * 1024 * 1024, manyEntries: 200);
        var expected = TreeCapture.Capture(source, Compare);
        await using var mount = await fixture.StartAsync("--host", "writer-host", "--tag", "copied");

        var cp = await ProcessRunner.RunAsync("cp", ["-a", source + "/.", fixture.New], timeout: TimeSpan.FromMinutes(5));
        Assert.True(cp.ExitCode == 0, cp.StandardError + mount.Output);
        var id = await fixture.CommitIdAsync(mount);

        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.New));
        Assert.True(Directory.Exists(Path.Combine(fixture.MountPoint, "ids", id[..8])), "the new snapshot is listed at once: " + mount.Output);
        Assert.True(Directory.Exists(Path.Combine(fixture.MountPoint, "hosts", "writer-host")));
        var restored = await fixture.CheckAndRestoreAsync(id, "restored");
        TreeAssert.Equal(expected, TreeCapture.Capture(restored, Compare));

        // Nothing new: no empty snapshot.
        var again = await fixture.CommitAsync();
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("", again.StandardOutput.Trim());
        Assert.Equal(1, await fixture.SnapshotCountAsync());
    }

    [Fact]
    public async Task IdleNewIsCommittedAfterCommitAfter()
    {
        using var fixture = new WritableMount();
        await fixture.Restic.InitAsync(version: 1);
        await using var mount = await fixture.StartAsync("--commit-after", "2s");
        Directory.CreateDirectory(Path.Combine(fixture.New, "dir"));
        await File.WriteAllTextAsync(Path.Combine(fixture.New, "dir", "idle.txt"), "committed when idle\n");

        Assert.True(await FuseMounts.WaitUntilAsync(() => !Directory.EnumerateFileSystemEntries(fixture.New).Any(), TimeSpan.FromMinutes(2)),
            "new/ was not committed: " + mount.Output);
        Assert.Equal(1, await fixture.SnapshotCountAsync());
        var id = await fixture.Restic.FullSnapshotIdAsync("");
        var restored = await fixture.CheckAndRestoreAsync(id, "restored");
        Assert.Equal("committed when idle\n", await File.ReadAllTextAsync(Path.Combine(restored, "dir", "idle.txt")));
    }

    [Fact]
    public async Task SigkillDuringACopyThenRestartCommitsTheClosedFiles()
    {
        using var fixture = new WritableMount();
        await fixture.Restic.InitAsync();
        var closed = Enumerable.Range(0, 5).Select(i => (Name: $"closed-{i}.bin", Data: RandomBytes(i, 300_000 + i))).ToList();
        FileStream? open = null;
        await using (var mount = await fixture.StartAsync())
        {
            foreach (var (name, data) in closed)
                await File.WriteAllBytesAsync(Path.Combine(fixture.New, name), data);
            // close(2) returns before the daemon handles the release: wait until it has journaled the closes.
            var journal = Path.Combine(fixture.Spool, "journal");
            Assert.True(await FuseMounts.WaitUntilAsync(() => CountClosed(journal) >= closed.Count, TimeSpan.FromMinutes(2)), mount.Output);
            open = new FileStream(Path.Combine(fixture.New, "half.bin"), FileMode.CreateNew, FileAccess.Write);
            open.Write(RandomBytes(99, 100_000));
            open.Flush();

            mount.Signal(9);
            Assert.True(await mount.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        }
        try { open?.Dispose(); } catch (IOException) { } // the mount is gone under it
        FuseMounts.ForceUnmount(fixture.MountPoint);

        await using (var restarted = await fixture.StartAsync())
        {
            var id = await fixture.CommitIdAsync(restarted);
            var restored = await fixture.CheckAndRestoreAsync(id, "restored");
            foreach (var (name, data) in closed)
                Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(restored, name)));
            Assert.False(File.Exists(Path.Combine(restored, "half.bin")));
            Assert.Single(Directory.GetFiles(Path.Combine(fixture.Spool, "incomplete"), "half.bin", SearchOption.AllDirectories));
            Assert.Contains("half.bin", restarted.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReaderBrowsesSnapshotsWhileAWriterCopiesIntoNew()
    {
        using var fixture = new WritableMount();
        await fixture.Restic.InitAsync();
        var source = fixture.CreateSubdirectory("data");
        TestTree.Create(source, bigFileBytes: 8 * 1024 * 1024, manyEntries: 500);
        await fixture.Restic.BackupAsync(fixture.Combine(""), ["data"]);
        await using var mount = await fixture.StartAsync();

        var read = fixture.Combine("read");
        var writing = ProcessRunner.RunAsync("cp", ["-a", source + "/.", fixture.New], timeout: TimeSpan.FromMinutes(5));
        var reading = ProcessRunner.RunAsync("cp", ["-a", Path.Combine(fixture.MountPoint, "snapshots", "latest", "data"), read], timeout: TimeSpan.FromMinutes(5));
        var (wrote, readBack) = (await writing, await reading);
        Assert.True(wrote.ExitCode == 0, wrote.StandardError + mount.Output);
        Assert.True(readBack.ExitCode == 0, readBack.StandardError + mount.Output);
        var expected = TreeCapture.Capture(source, Compare);
        TreeAssert.Equal(expected, TreeCapture.Capture(read, Compare));

        var id = await fixture.CommitIdAsync(mount);
        var restored = await fixture.CheckAndRestoreAsync(id, "restored");
        TreeAssert.Equal(expected, TreeCapture.Capture(restored, Compare));
    }

    [Fact]
    public async Task CommitOnAReadOnlyMountIsOneClearLine()
    {
        using var fixture = new WritableMount();
        await fixture.Restic.InitAsync();
        await using var mount = await MountProcess.StartAsync(fixture.Restic, fixture.MountPoint, "--refresh", "0");
        var result = await fixture.CommitAsync();
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Fatal: {fixture.MountPoint} is not a writable stashmount mount (mount it with 'stashmount mount --write')", result.StandardError.Trim());
    }

    private static int CountClosed(string journal)
    {
        try
        {
            using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.Contains("\"t\":\"c\"", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
