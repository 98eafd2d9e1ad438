using StashMount.Repository;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Writable;

/// <summary>The spool engine without FUSE: what is staged in the tree becomes one snapshot that restic checks and restores as it was.</summary>
public sealed class WriteSpoolCommitTests
{
    private static readonly TreeCapture.Options Compare = new(AccessTimes: false);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task CommitOfTheTreeIsAcceptedAndRestoredByRestic(int version)
    {
        await using var fixture = await SpoolFixture.CreateAsync(version);
        var input = fixture.Combine("input");
        SampleTree.Create(input, bigFileBytes: 3 * 1024 * 1024, manyEntries: 100);
        Directory.CreateDirectory(Path.Combine(input, "empty-dir"));
        var expected = TreeCapture.Capture(input, Compare);

        ObjectId? id;
        await using (var spool = await fixture.OpenSpoolAsync())
        {
            (await ProcessRunner.RunAsync("cp", ["-a", input + "/.", spool.TreeRoot])).EnsureSuccess("cp -a");
            var emptied = 0;
            spool.TreeEmptied += () => emptied++;
            SpoolFixture.ReportAllClosed(spool);
            await SpoolFixture.WaitForIngestionAsync(spool);
            Assert.True(spool.FilesIngested > 100);

            id = await spool.CommitAsync(stopping: false, CancellationToken.None);
            Assert.NotNull(id);
            Assert.Equal(0, spool.LastCommitFilesRead); // everything was ingested before
            Assert.Equal(1, emptied);
            Assert.Empty(Directory.EnumerateFileSystemEntries(spool.TreeRoot));
        }

        var restored = await fixture.RestoreAsync(id.Value, "restored");
        TreeAssert.Equal(expected, TreeCapture.Capture(restored, Compare));
        var snapshots = (await fixture.Restic.RunAsync("snapshots", "--json")).EnsureSuccess("restic snapshots").StandardOutput;
        Assert.Contains("\"paths\":[\"/\"]", snapshots, StringComparison.Ordinal);
        Assert.Contains("\"hostname\":\"spool-host\"", snapshots, StringComparison.Ordinal);
        Assert.Contains("\"tags\":[\"spooled\"]", snapshots, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(fixture.Restic.Repository, "locks")));
    }

    [Fact]
    public async Task NothingStagedGivesNoSnapshot()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        await using var spool = await fixture.OpenSpoolAsync();
        Assert.Null(await spool.CommitAsync(stopping: false, CancellationToken.None));
        Assert.Equal(0, fixture.SnapshotCount());
    }

    [Fact]
    public async Task FileChangedAfterIngestionIsCommittedWithItsNewContent()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        await using var spool = await fixture.OpenSpoolAsync();
        var viaMount = Path.Combine(spool.TreeRoot, "via-mount.txt");
        var behindBack = Path.Combine(spool.TreeRoot, "behind-back.txt");
        var mtime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        foreach (var path in new[] { viaMount, behindBack })
        {
            File.WriteAllText(path, "first version\n");
            File.SetLastWriteTimeUtc(path, mtime);
            spool.FileClosed(Path.GetFileName(path));
        }
        await SpoolFixture.WaitForIngestionAsync(spool);
        Assert.Equal(2, spool.FilesIngested);

        // Same size and the old mtime put back: only the open for writing the mount reports tells them apart.
        spool.FileOpenedForWrite("via-mount.txt");
        File.WriteAllText(viaMount, "other version\n");
        File.SetLastWriteTimeUtc(viaMount, mtime);
        spool.FileClosed("via-mount.txt");
        // Written without the mount knowing: the new mtime tells.
        File.WriteAllText(behindBack, "third version\n");
        await SpoolFixture.WaitForIngestionAsync(spool);

        var id = await spool.CommitAsync(stopping: false, CancellationToken.None);
        var restored = await fixture.RestoreAsync(id!.Value, "restored");
        Assert.Equal("other version\n", File.ReadAllText(Path.Combine(restored, "via-mount.txt")));
        Assert.Equal("third version\n", File.ReadAllText(Path.Combine(restored, "behind-back.txt")));
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Path.Combine(restored, "via-mount.txt")));
    }

    [Fact]
    public async Task UnreachableBackendKeepsTheFilesAndALaterCommitSucceeds()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        await using var spool = await fixture.OpenSpoolAsync();
        File.WriteAllText(Path.Combine(spool.TreeRoot, "kept.txt"), "kept\n");
        var moved = fixture.Restic.Repository + ".away";
        // A plain file where the repository was: every upload fails, as with storage that is gone.
        Directory.Move(fixture.Restic.Repository, moved);
        File.WriteAllText(fixture.Restic.Repository, "not a repository");
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => spool.CommitAsync(stopping: false, CancellationToken.None));
        }
        finally
        {
            File.Delete(fixture.Restic.Repository);
            Directory.Move(moved, fixture.Restic.Repository);
        }
        Assert.True(File.Exists(Path.Combine(spool.TreeRoot, "kept.txt")));
        Assert.Equal(0, fixture.SnapshotCount());

        var id = await spool.CommitAsync(stopping: false, CancellationToken.None);
        var restored = await fixture.RestoreAsync(id!.Value, "restored");
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(restored, "kept.txt")));
    }

    [Fact]
    public async Task IdleTreeIsCommittedAfterTheDelayButNotWhileAFileIsOpen()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        await using var spool = await fixture.OpenSpoolAsync(commitAfter: TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var idle = spool.RunIdleCommitsAsync(stop.Token);
        try
        {
            File.WriteAllText(Path.Combine(spool.TreeRoot, "open.txt"), "still writing");
            spool.FileOpenedForWrite("open.txt");
            var commits = 0;
            spool.TreeEmptied += () => Interlocked.Increment(ref commits);
            // While the file is open nothing is committed, however long it stays idle.
            Assert.False(await FuseMounts.WaitUntilAsync(() => Volatile.Read(ref commits) > 0, TimeSpan.FromSeconds(3)));
            spool.FileClosed("open.txt");
            Assert.True(await FuseMounts.WaitUntilAsync(() => Volatile.Read(ref commits) > 0, TimeSpan.FromMinutes(2)), "no idle commit");
            Assert.Equal(1, fixture.SnapshotCount());
        }
        finally
        {
            await stop.CancelAsync();
            await idle;
        }
    }
}
