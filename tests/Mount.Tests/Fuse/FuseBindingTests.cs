using System.Security.Cryptography;
using System.Text;
using StashMount.Mount.Fuse;
using StashMount.TestSupport;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace StashMount.Mount.Tests.Fuse;

/// <summary>Mounts an in-memory tree for real and reads it back with plain System.IO. A mount failure fails the test.</summary>
public sealed class FuseBindingTests : IDisposable
{
    private readonly TempDirectory _temp = new("stashmount-fuse");
    private readonly string _mountPoint;
    private readonly InMemoryFileSystem _fs = new();
    private readonly byte[] _big = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 123);
    private FuseSession? _session;

    public FuseBindingTests()
    {
        _mountPoint = _temp.CreateSubdirectory("mnt");
        var hello = _fs.AddFile(FuseFileSystem.RootInode, "hello.txt", Encoding.UTF8.GetBytes("hello, fuse\n"));
        _fs.SetXattr(hello, "user.color", Encoding.UTF8.GetBytes("blue"));
        _fs.AddFile(FuseFileSystem.RootInode, "big.bin", _big, permissions: 0x180);
        var dir = _fs.AddDirectory(FuseFileSystem.RootInode, "sub dir");
        for (var i = 0; i < 300; i++)
            _fs.AddFile(dir, $"file-{i:D3}-{new string('x', 40)}", Encoding.UTF8.GetBytes(i.ToString()));
        _fs.AddSymlink(FuseFileSystem.RootInode, "link", "hello.txt");
        _fs.AnswerInPieces(_fs.AddFile(FuseFileSystem.RootInode, "pieces.bin", _big), 300_007);
        _fs.AnswerInPieces(_fs.AddFile(FuseFileSystem.RootInode, "crumbs.bin", _big), 1000);
    }

    private void Mount() => _session = FuseSession.Mount(_fs, _mountPoint, new FuseMountOptions { Log = _ => { } });

    [Fact]
    public void ReadsFilesDirectoriesSymlinksAndXattrs()
    {
        Mount();
        Assert.True(FuseMounts.IsMounted(_mountPoint));
        Assert.Equal("hello, fuse\n", File.ReadAllText(Path.Combine(_mountPoint, "hello.txt")));
        Assert.Equal(_big, File.ReadAllBytes(Path.Combine(_mountPoint, "big.bin")));

        var names = Directory.EnumerateFileSystemEntries(_mountPoint).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["big.bin", "crumbs.bin", "hello.txt", "link", "pieces.bin", "sub dir"], names);
        var many = Directory.GetFiles(Path.Combine(_mountPoint, "sub dir"));
        Assert.Equal(300, many.Length);
        Assert.Equal("299", File.ReadAllText(Path.Combine(_mountPoint, "sub dir", $"file-299-{new string('x', 40)}")));

        var link = new FileInfo(Path.Combine(_mountPoint, "link"));
        Assert.Equal("hello.txt", link.LinkTarget);
        Assert.Equal("hello, fuse\n", File.ReadAllText(link.FullName));

        var big = new FileInfo(Path.Combine(_mountPoint, "big.bin"));
        Assert.Equal(_big.Length, big.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, big.UnixFileMode);
        Assert.Equal(InMemoryFileSystem.ModifiedAt, new DateTimeOffset(big.LastWriteTimeUtc));

        var hello = Path.Combine(_mountPoint, "hello.txt");
        Assert.Equal(["user.color"], Xattr.List(hello));
        Assert.Equal("blue", Encoding.UTF8.GetString(Xattr.Get(hello, "user.color")!));
        Assert.Null(Xattr.Get(hello, "user.missing"));
    }

    [Fact]
    public void MissingEntriesAndWritesAreRefused()
    {
        Mount();
        Assert.False(File.Exists(Path.Combine(_mountPoint, "nope")));
        Assert.ThrowsAny<IOException>(() => File.ReadAllBytes(Path.Combine(_mountPoint, "nope")));
        Assert.ThrowsAny<Exception>(() => File.WriteAllText(Path.Combine(_mountPoint, "hello.txt"), "x"));
        Assert.ThrowsAny<Exception>(() => File.WriteAllText(Path.Combine(_mountPoint, "new.txt"), "x"));
    }

    [Fact]
    public async Task ParallelRandomReadsMatch()
    {
        Mount();
        var path = Path.Combine(_mountPoint, "big.bin");
        await Parallel.ForAsync(0, 16, async (worker, ct) =>
        {
            var random = new Random(worker);
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
            var buffer = new byte[300_000];
            for (var i = 0; i < 20; i++)
            {
                var offset = random.NextInt64(_big.Length);
                var length = random.Next(1, buffer.Length);
                stream.Position = offset;
                var n = await stream.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, ct);
                Assert.Equal(Math.Min(length, _big.Length - offset), n);
                Assert.True(buffer.AsSpan(0, n).SequenceEqual(_big.AsSpan((int)offset, n)));
            }
        });
    }

    [Theory]
    [InlineData("pieces.bin")] // a few pieces per reply: one gathered write
    [InlineData("crumbs.bin")] // more pieces than a reply pins: copied together
    public async Task ReadsAnsweredInPiecesMatchAndAreReleased(string name)
    {
        Mount();
        var path = Path.Combine(_mountPoint, name);
        Assert.Equal(_big, await File.ReadAllBytesAsync(path));
        await Parallel.ForAsync(0, 8, async (worker, ct) =>
        {
            var random = new Random(worker);
            // Odd offsets and lengths; without keep_cache each open drops cached pages, so reads reach the filesystem.
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.None);
            var buffer = new byte[700_000];
            for (var i = 0; i < 10; i++)
            {
                var offset = random.NextInt64(_big.Length);
                var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, random.Next(1, buffer.Length)), offset, ct);
                Assert.True(n > 0 && buffer.AsSpan(0, n).SequenceEqual(_big.AsSpan((int)offset, n)));
            }
        });
        Assert.True(await FuseMounts.WaitUntilAsync(() => _fs.PiecesOutstanding == 0), $"{_fs.PiecesOutstanding} read answers not released");
    }

    [Fact]
    public async Task RequestsAreServedWhileACallbackBlocks()
    {
        // A callback may block on the kernel (a page-cache store waits for pages a queued read has locked): other
        // requests must still be read and answered meanwhile, here the one that unblocks it.
        using var entered = new ManualResetEventSlim();
        using var released = new ManualResetEventSlim();
        var unblocked = false;
        _fs.BeforeGetXattr = name =>
        {
            if (name == "user.block")
            {
                entered.Set();
                unblocked = released.Wait(TimeSpan.FromMinutes(2));
            }
            else if (name == "user.release")
                released.Set();
        };
        Mount();
        var hello = Path.Combine(_mountPoint, "hello.txt");
        var blocked = Task.Run(() => Xattr.Get(hello, "user.block"));
        Assert.True(entered.Wait(TimeSpan.FromMinutes(1)));
        await Task.Run(() => Xattr.Get(hello, "user.release")).WaitAsync(TimeSpan.FromMinutes(1));
        await blocked.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(unblocked);
        Assert.Equal("hello, fuse\n", File.ReadAllText(hello));
    }

    [Fact]
    public async Task StopUnmountsCleanly()
    {
        Mount();
        Assert.True(File.Exists(Path.Combine(_mountPoint, "hello.txt")));
        var rc = await _session!.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, rc);
        Assert.True(await FuseMounts.WaitUntilAsync(() => !FuseMounts.IsMounted(_mountPoint)));
    }

    [Fact]
    public void MissingMountPointIsOneLineError()
    {
        var e = Assert.Throws<MountException>(() => FuseSession.Mount(_fs, _temp.Combine("absent")));
        Assert.Contains("does not exist", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AlreadyMountedIsOneLineError()
    {
        Mount();
        var e = Assert.Throws<MountException>(() => FuseSession.Mount(new InMemoryFileSystem(), _mountPoint));
        Assert.Contains("already mounted", e.Message);
    }

    public void Dispose()
    {
        try { _session?.Dispose(); }
        finally
        {
            FuseMounts.ForceUnmount(_mountPoint);
            _temp.Dispose();
        }
    }
}
