using System.Text;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Writable;

/// <summary>
/// new/ over real FUSE: what cp -a, rsync and tar write arrives in the spool tree unchanged (modes, times, owners,
/// symlinks, hard links, xattrs, devices), ordinary edits work, everything outside new/ is EROFS, and the spool
/// hears about it. A mount failure fails the test.
/// </summary>
public sealed class WritableMountTests : IDisposable
{
    private readonly WritableMountFixture _mount = new();

    private static readonly TreeCapture.Options Compare = new(AccessTimes: false);

    private static async Task<ProcessResult> ShellAsync(string script) =>
        await ProcessRunner.RunAsync("bash", ["-c", script], timeout: TimeSpan.FromMinutes(5));

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''") + "'";

    private async Task<string> SourceAsync()
    {
        var source = _mount.Temp("source");
        SampleTree.Create(source, bigFileBytes: 3 * 1024 * 1024 + 17, manyEntries: 200);
        Directory.CreateDirectory(Path.Join(source, "empty dir"));
        // rsync leaves an mtime alone when only its nanoseconds differ from the copy's: move what was just made to the past.
        (await ShellAsync($"find {Quote(source)} -newermt '1 hour ago' ! -newermt '2029-01-01' -exec touch -h -d '2020-01-02 03:04:05.123456789' {{}} +"))
            .EnsureSuccess("touch");
        return source;
    }

    [Fact]
    public async Task CpArchiveCopiesTreeExactly()
    {
        var source = await SourceAsync();
        var target = Path.Join(_mount.New, "tree");
        (await ShellAsync($"cp -a {Quote(source)} {Quote(target)}")).EnsureSuccess("cp -a");

        // diff cannot compare fifos and devices (TreeCapture does): leave them out.
        (await ShellAsync($"diff -r --no-dereference -x fifo -x null-device {Quote(source)} {Quote(target)}")).EnsureSuccess("diff -r");
        TreeAssert.Equal(TreeCapture.Capture(source, Compare), TreeCapture.Capture(target, Compare));
        TreeAssert.Equal(TreeCapture.Capture(source, Compare), TreeCapture.Capture(Path.Join(_mount.Spool.TreeRoot, "tree"), Compare));

        var a = FileStatus.Of(Path.Join(target, "links", "hard-a"));
        Assert.Equal(3u, a.Links);
        Assert.Equal(a.Inode, FileStatus.Of(Path.Join(target, "links", "hard-b")).Inode);
        Assert.Equal(a.Inode, FileStatus.Of(Path.Join(target, "modes", "hard-c")).Inode);
        Assert.NotEqual(a.Inode, FileStatus.Of(Path.Join(target, "plain.txt")).Inode);
    }

    [Fact]
    public void ACreatedFileHasTheModeAskedAndTheTimeOfItsCreate()
    {
        // Files are made ahead (mode 0600, the time they were made): the create must not show either.
        Thread.Sleep(50);
        var before = DateTime.UtcNow.AddMilliseconds(-20); // the kernel's file times come from a coarser clock
        var path = Path.Join(_mount.New, "created");
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = (UnixFileMode)0b110_100_000 }))
        {
        }
        var status = FileStatus.Of(Path.Join(_mount.Spool.TreeRoot, "created"));
        Assert.Equal(0x8000u | 0b110_100_000, status.Mode);
        Assert.True(File.GetLastWriteTimeUtc(path) >= before, $"mtime {File.GetLastWriteTimeUtc(path):O} before the create {before:O}");
        Assert.Equal(0ul, status.Size);
    }

    [Fact]
    public async Task RsyncWithTempFilesAndRenames()
    {
        var source = await SourceAsync();
        var target = Path.Join(_mount.New, "synced");
        (await ShellAsync($"rsync -aHX {Quote(source + "/")} {Quote(target + "/")}")).EnsureSuccess("rsync -aHX");
        TreeAssert.Equal(TreeCapture.Capture(source, Compare), TreeCapture.Capture(Path.Join(_mount.Spool.TreeRoot, "synced"), Compare));
        TreeAssert.Equal(TreeCapture.Capture(source, Compare), TreeCapture.Capture(target, Compare));

        // A second run over changed content replaces files through temp file + rename.
        File.WriteAllText(Path.Join(source, "plain.txt"), "changed content\n");
        (await ShellAsync($"rsync -aHX {Quote(source + "/")} {Quote(target + "/")}")).EnsureSuccess("rsync again");
        Assert.Equal("changed content\n", File.ReadAllText(Path.Join(target, "plain.txt")));
        TreeAssert.Equal(TreeCapture.Capture(source, Compare), TreeCapture.Capture(target, Compare));
    }

    [Fact]
    public async Task TarExtracts()
    {
        var source = await SourceAsync();
        var archive = _mount.Temp("tree.tar");
        (await ShellAsync($"tar --xattrs -C {Quote(source)} -cf {Quote(archive)} .")).EnsureSuccess("tar c");
        var target = Path.Join(_mount.New, "untarred");
        Directory.CreateDirectory(target);
        (await ShellAsync($"tar --xattrs --xattrs-include='*' --same-owner -xpf {Quote(archive)} -C {Quote(target)}")).EnsureSuccess("tar x");
        TreeAssert.Equal(TreeCapture.Capture(source, Compare with { DirectoryTimes = false }), TreeCapture.Capture(target, Compare with { DirectoryTimes = false }));
    }

    [Fact]
    public void OverwriteTruncateRenameUnlinkRmdir()
    {
        var file = Path.Join(_mount.New, "a.txt");
        File.WriteAllText(file, "first version, long\n");
        File.WriteAllText(file, "second\n");
        Assert.Equal("second\n", File.ReadAllText(file));

        using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.SetLength(3);
            stream.Seek(0, SeekOrigin.End);
            stream.Write("!"u8);
        }
        Assert.Equal("sec!", File.ReadAllText(file));
        File.AppendAllText(file, "+");
        Assert.Equal("sec!+", File.ReadAllText(file));

        var directory = Path.Join(_mount.New, "dir");
        Directory.CreateDirectory(Path.Join(directory, "sub"));
        File.Move(file, Path.Join(directory, "sub", "b.txt"));
        Assert.False(File.Exists(file));
        Directory.Move(directory, Path.Join(_mount.New, "moved"));
        Assert.Equal("sec!+", File.ReadAllText(Path.Join(_mount.New, "moved", "sub", "b.txt")));
        Assert.Equal("sec!+", File.ReadAllText(Path.Join(_mount.Spool.TreeRoot, "moved", "sub", "b.txt")));

        File.WriteAllText(Path.Join(_mount.New, "other"), "other");
        File.Move(Path.Join(_mount.New, "other"), Path.Join(_mount.New, "moved", "sub", "b.txt"), overwrite: true);
        Assert.Equal("other", File.ReadAllText(Path.Join(_mount.New, "moved", "sub", "b.txt")));

        var notEmpty = Assert.ThrowsAny<IOException>(() => Directory.Delete(Path.Join(_mount.New, "moved")));
        Assert.Contains("not empty", notEmpty.Message, StringComparison.OrdinalIgnoreCase);
        File.Delete(Path.Join(_mount.New, "moved", "sub", "b.txt"));
        Directory.Delete(Path.Join(_mount.New, "moved", "sub"));
        Directory.Delete(Path.Join(_mount.New, "moved"));
        Assert.Empty(Directory.GetFileSystemEntries(_mount.New));
        Assert.Empty(Directory.GetFileSystemEntries(_mount.Spool.TreeRoot));
    }

    [Fact]
    public async Task RenameNoReplaceAndExistingNames()
    {
        File.WriteAllText(Path.Join(_mount.New, "x"), "x");
        File.WriteAllText(Path.Join(_mount.New, "y"), "y");
        var result = await ShellAsync($"mv -n {Quote(Path.Join(_mount.New, "x"))} {Quote(Path.Join(_mount.New, "y"))}; cat {Quote(Path.Join(_mount.New, "y"))}");
        Assert.Equal("y", result.StandardOutput);
        Assert.ThrowsAny<IOException>(() => Directory.CreateDirectory(Path.Join(_mount.New, "x", "under-a-file")));
        var exists = await ShellAsync($"LC_ALL=C mkdir {Quote(Path.Join(_mount.New, "x"))}");
        Assert.Contains("File exists", exists.StandardError);
    }

    [Fact]
    public async Task OutsideNewIsReadOnly()
    {
        var snapshot = Path.Join(_mount.MountPoint, "snapshots", "2024-05-06T07:08:09Z");
        foreach (var command in new[]
        {
            $"touch {Quote(Path.Join(snapshot, "new-file"))}",
            $"touch {Quote(Path.Join(snapshot, "file01"))}",
            $"mkdir {Quote(Path.Join(snapshot, "dir"))}",
            $"mkdir {Quote(Path.Join(_mount.MountPoint, "dir"))}",
            $"touch {Quote(Path.Join(_mount.MountPoint, "file"))}",
            $"rm {Quote(Path.Join(snapshot, "file02"))}",
            $"echo x >> {Quote(Path.Join(snapshot, "file03"))}",
        })
        {
            var result = await ShellAsync("LC_ALL=C " + command);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("Read-only file system", result.StandardError);
        }
        Assert.Equal("content 1\n", File.ReadAllText(Path.Join(snapshot, "file01")));
        var cross = await ShellAsync($"LC_ALL=C ln {Quote(Path.Join(snapshot, "file01"))} {Quote(Path.Join(_mount.New, "linked"))}");
        Assert.Contains("Invalid cross-device link", cross.StandardError);
    }

    [Fact]
    public async Task SpoolHearsOpenCloseAndChanges()
    {
        Directory.CreateDirectory(Path.Join(_mount.New, "d"));
        await using (var stream = new FileStream(Path.Join(_mount.New, "d", "f.bin"), FileMode.CreateNew, FileAccess.Write))
        {
            await stream.WriteAsync(new byte[100_000]);
            Assert.True(_mount.Spool.Saw("opened", "d/f.bin"));
            Assert.False(_mount.Spool.Saw("closed", "d/f.bin"));
        }
        Assert.True(await FuseMounts.WaitUntilAsync(() => _mount.Spool.Saw("closed", "d/f.bin")), "FileClosed after close");
        Assert.True(_mount.Spool.Saw("changed", "d"));

        File.Move(Path.Join(_mount.New, "d", "f.bin"), Path.Join(_mount.New, "g.bin"));
        Assert.True(_mount.Spool.Saw("changed", "d/f.bin"));
        Assert.True(_mount.Spool.Saw("changed", "g.bin"));
        File.SetUnixFileMode(Path.Join(_mount.New, "g.bin"), UnixFileMode.UserRead);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Join(_mount.Spool.TreeRoot, "g.bin")));

        (await ShellAsync($"truncate -s 10 {Quote(Path.Join(_mount.New, "g.bin"))}")).EnsureSuccess("truncate");
        Assert.Equal(10, new FileInfo(Path.Join(_mount.Spool.TreeRoot, "g.bin")).Length);
        Assert.True(await FuseMounts.WaitUntilAsync(() => _mount.Spool.Saw("closed", "g.bin")), "truncate reported as a closed file");
    }

    [Fact]
    public async Task TreeEmptiedShowsEmptyNewAndKeepsWorking()
    {
        Directory.CreateDirectory(Path.Join(_mount.New, "a", "b"));
        File.WriteAllText(Path.Join(_mount.New, "a", "b", "c.txt"), "c");
        File.WriteAllText(Path.Join(_mount.New, "top.txt"), "top");
        Assert.Equal("c", File.ReadAllText(Path.Join(_mount.New, "a", "b", "c.txt")));

        await _mount.Spool.EmptyAsync();

        Assert.Empty(Directory.GetFileSystemEntries(_mount.New));
        Assert.False(File.Exists(Path.Join(_mount.New, "top.txt")));
        Assert.False(Directory.Exists(Path.Join(_mount.New, "a")));
        Directory.CreateDirectory(Path.Join(_mount.New, "a"));
        File.WriteAllText(Path.Join(_mount.New, "a", "again.txt"), "again");
        Assert.Equal(["again.txt"], Directory.GetFileSystemEntries(Path.Join(_mount.New, "a")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ReaderBrowsesSnapshotsWhileWriterCopies()
    {
        var source = _mount.Temp("many");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 300; i++)
            File.WriteAllBytes(Path.Join(source, $"f{i:000}"), Encoding.UTF8.GetBytes(new string((char)('a' + i % 26), 5000 + i)));
        var writer = ShellAsync($"cp -a {Quote(source)} {Quote(Path.Join(_mount.New, "many"))}");
        var reads = 0;
        var snapshot = Path.Join(_mount.MountPoint, "snapshots", "2024-05-06T07:08:09Z");
        while (!writer.IsCompleted || reads < 20)
        {
            Assert.Equal(50, Directory.GetFiles(snapshot).Length);
            Assert.Equal($"content {reads % 50}\n", File.ReadAllText(Path.Join(snapshot, $"file{reads % 50:00}")));
            Assert.Contains("new", Directory.GetDirectories(_mount.MountPoint).Select(Path.GetFileName));
            reads++;
        }
        (await writer).EnsureSuccess("cp -a");
        TreeAssert.Equal(TreeCapture.Capture(source, Compare), TreeCapture.Capture(Path.Join(_mount.New, "many"), Compare));
    }

    [Fact]
    public void StatfsOfNewIsTheSpoolDisk()
    {
        var spoolDrive = new DriveInfo(_mount.Spool.TreeRoot);
        var newDrive = new DriveInfo(_mount.New);
        Assert.Equal(spoolDrive.TotalSize, newDrive.TotalSize);
        Assert.True(newDrive.AvailableFreeSpace > 0);
    }

    public void Dispose() => _mount.Dispose();
}
