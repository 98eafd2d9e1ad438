using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Writable;

/// <summary>Nothing lost: a spool reopened after its daemon died commits what was closed and sets aside what was open.</summary>
public sealed class WriteSpoolRestartTests
{
    [Fact]
    public async Task RestartCommitsClosedFilesAndKeepsOpenOnesAside()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        var big = new byte[2 * 1024 * 1024];
        new Random(7).NextBytes(big);
        await using (var first = await fixture.OpenSpoolAsync())
        {
            Directory.CreateDirectory(Path.Combine(first.TreeRoot, "dir"));
            File.WriteAllText(Path.Combine(first.TreeRoot, "dir", "ingested.txt"), "ingested before the kill\n");
            first.FileOpenedForWrite("dir/ingested.txt");
            first.FileClosed("dir/ingested.txt");
            await SpoolFixture.WaitForIngestionAsync(first);
            File.WriteAllBytes(Path.Combine(first.TreeRoot, "closed.bin"), big);
            File.WriteAllText(Path.Combine(first.TreeRoot, "half.txt"), "half writ");
            first.FileOpenedForWrite("half.txt");
            // The daemon dies here: no commit, no close for half.txt, closed.bin never reported.
        }

        await using var second = await fixture.OpenSpoolAsync();
        await SpoolFixture.WaitForIngestionAsync(second);
        Assert.False(File.Exists(Path.Combine(second.TreeRoot, "half.txt")));
        var aside = Directory.GetFiles(Path.Combine(fixture.SpoolPath, "incomplete"), "half.txt", SearchOption.AllDirectories);
        Assert.Single(aside);
        Assert.Contains(fixture.Log, line => line.Contains("half.txt", StringComparison.Ordinal));

        var id = await second.CommitAsync(stopping: false, CancellationToken.None);
        var restored = await fixture.RestoreAsync(id!.Value, "restored");
        Assert.Equal("ingested before the kill\n", File.ReadAllText(Path.Combine(restored, "dir", "ingested.txt")));
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(restored, "closed.bin")));
        Assert.False(File.Exists(Path.Combine(restored, "half.txt")));
    }

    [Fact]
    public async Task AfterARebootFilesClosedSinceTheLastSyncAreSetAside()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        var tree = Path.Combine(fixture.SpoolPath, "tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "synced.txt"), "closed before the last sync\n");
        File.WriteAllText(Path.Combine(tree, "unsynced.txt"), "closed after it");
        var synced = StashMount.Repository.Archiver.DirectoryArchiver.Stat(Path.Combine(tree, "synced.txt")).Inode;
        var unsynced = StashMount.Repository.Archiver.DirectoryArchiver.Stat(Path.Combine(tree, "unsynced.txt")).Inode;
        // The journal of a daemon in another boot (the machine lost power): synced.txt's close is before the last
        // durable point, unsynced.txt's after it, so its data may never have reached the disk.
        string[] records =
        [
            """{"t":"b","boot":"an-earlier-boot"}""",
            $$"""{"t":"o","ino":{{synced}}}""",
            $$"""{"t":"c","ino":{{synced}}}""",
        ];
        var journal = string.Join('\n', records) + "\n";
        journal += $$"""{"t":"s","upto":{{journal.Length}}}""" + "\n";
        journal += $$"""{"t":"o","ino":{{unsynced}}}""" + "\n" + $$"""{"t":"c","ino":{{unsynced}}}""" + "\n";
        File.WriteAllText(Path.Combine(fixture.SpoolPath, "journal"), journal);

        await using var spool = await fixture.OpenSpoolAsync();
        await SpoolFixture.WaitForIngestionAsync(spool);
        Assert.Single(Directory.GetFiles(Path.Combine(fixture.SpoolPath, "incomplete"), "unsynced.txt", SearchOption.AllDirectories));
        Assert.Contains(fixture.Log, line => line.Contains("unsynced.txt", StringComparison.Ordinal));
        var id = await spool.CommitAsync(stopping: false, CancellationToken.None);
        var restored = await fixture.RestoreAsync(id!.Value, "restored");
        Assert.Equal("closed before the last sync\n", File.ReadAllText(Path.Combine(restored, "synced.txt")));
        Assert.False(File.Exists(Path.Combine(restored, "unsynced.txt")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task KillDuringTheSnapshotUploadCommitsTheTreeOnce(bool uploaded)
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        string saved;
        await using (var first = await fixture.OpenSpoolAsync())
        {
            File.WriteAllText(Path.Combine(first.TreeRoot, "once.txt"), "committed once\n");
            SpoolFixture.ReportAllClosed(first);
            saved = (await first.CommitAsync(stopping: false, CancellationToken.None))!.Value.ToString();
        }
        // The state of a daemon killed while uploading the snapshot: its id journaled, the tree not emptied.
        var pending = uploaded ? saved : new string('0', 64);
        File.WriteAllText(Path.Combine(fixture.SpoolPath, "tree", "once.txt"), "committed once\n");
        File.WriteAllText(Path.Combine(fixture.SpoolPath, "journal"), $$"""{"t":"p","snapshot":"{{pending}}"}""" + "\n");

        await using var second = await fixture.OpenSpoolAsync();
        await SpoolFixture.WaitForIngestionAsync(second);
        var again = await second.CommitAsync(stopping: false, CancellationToken.None);
        Assert.Equal(uploaded ? 1 : 2, fixture.SnapshotCount());
        Assert.Equal(uploaded, again is null);
        Assert.Empty(Directory.GetFileSystemEntries(second.TreeRoot));
    }

    [Fact]
    public async Task ASmallFileIngestedWhileWrittenIsJournaledClosedWithItsContentAndNotReadAfterARestart()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        var data = "written through the mount, ingested as written\n"u8.ToArray();
        ulong inode;
        await using (var first = await fixture.OpenSpoolAsync())
        {
            // A first file makes the writer ready, as it is for every file of a cp but the first.
            File.WriteAllText(Path.Combine(first.TreeRoot, "first.txt"), "first\n");
            SpoolFixture.ReportAllClosed(first);
            await SpoolFixture.WaitForIngestionAsync(first);
            var path = Path.Combine(first.TreeRoot, "live.txt");
            File.WriteAllBytes(path, []);
            var live = first.FileCreatedForWrite("live.txt", StashMount.Repository.Archiver.DirectoryArchiver.Stat(path));
            Assert.NotNull(live);
            await File.WriteAllBytesAsync(path, data);
            await live.Written(0, data);
            var closed = StashMount.Repository.Archiver.DirectoryArchiver.Stat(path);
            inode = closed.Inode;
            first.FileClosed("live.txt", closed);
            await SpoolFixture.WaitForIngestionAsync(first);
            Assert.Equal(2, first.FilesIngested);
            // The daemon dies here, before any commit.
        }
        var records = File.ReadAllLines(Path.Combine(fixture.SpoolPath, "journal"))
            .Where(line => line.Contains($"\"ino\":{inode},", StringComparison.Ordinal) || line.Contains($"\"ino\":{inode}}}", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, records.Count);
        Assert.StartsWith("""{"t":"o",""", records[0], StringComparison.Ordinal);
        Assert.StartsWith("""{"t":"c",""", records[1], StringComparison.Ordinal);
        Assert.Contains("\"content\":[\"", records[1], StringComparison.Ordinal);

        await using var second = await fixture.OpenSpoolAsync();
        await SpoolFixture.WaitForIngestionAsync(second);
        // The replay knows both files as ingested, so nothing is queued again (the commit reads them all the
        // same: blobs not yet packed at the kill are gone with the writer).
        Assert.Equal(0, second.FilesIngested);
        var id = await second.CommitAsync(stopping: false, CancellationToken.None);
        var restored = await fixture.RestoreAsync(id!.Value, "restored");
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(restored, "live.txt")));
        Assert.Equal("first\n", File.ReadAllText(Path.Combine(restored, "first.txt")));
    }

    [Fact]
    public async Task SecondDaemonOnTheSameSpoolIsRefused()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        await using var first = await fixture.OpenSpoolAsync();
        var error = await Assert.ThrowsAsync<IOException>(() => fixture.OpenSpoolAsync());
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
    }
}
