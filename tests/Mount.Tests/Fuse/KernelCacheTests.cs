using System.Text;
using StashMount.Mount.Fuse;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Fuse;

/// <summary>
/// What the kernel answers without asking the filesystem: cached listings across opendirs, opens without a
/// request once open answered ENOSYS, and file content stored ahead into the page cache.
/// </summary>
public sealed class KernelCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new("stashmount-kcache");
    private readonly string _mountPoint;
    private readonly InMemoryFileSystem _inner = new();
    private readonly ulong _directory;
    private FuseSession? _session;

    public KernelCacheTests()
    {
        _mountPoint = _temp.CreateSubdirectory("mnt");
        _directory = _inner.AddDirectory(FuseFileSystem.RootInode, "dir");
        for (var i = 0; i < 5; i++)
            _inner.AddFile(_directory, $"f{i}", Encoding.UTF8.GetBytes($"content {i}"));
    }

    private CountingFileSystem Mount(bool zeroMessageOpens)
    {
        var fs = new CountingFileSystem(_inner, zeroMessageOpens);
        _session = FuseSession.Mount(fs, _mountPoint, new FuseMountOptions { Log = _ => { } });
        return fs;
    }

    [Fact]
    public void CachedListingIsNotAskedForAgainAtTheNextOpendir()
    {
        var fs = Mount(zeroMessageOpens: false);
        var path = Path.Combine(_mountPoint, "dir");
        var first = Directory.GetFiles(path).Order(StringComparer.Ordinal).ToArray();
        var second = Directory.GetFiles(path).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(5, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(1, fs.Listings);
    }

    [Fact]
    public void OpenAnsweredEnosysMeansNoMoreOpensAndReadsWithoutHandle()
    {
        var fs = Mount(zeroMessageOpens: true);
        for (var i = 0; i < 5; i++)
            Assert.Equal($"content {i}", File.ReadAllText(Path.Combine(_mountPoint, "dir", $"f{i}")));
        Assert.Equal(1, fs.Opens);
        Assert.True(fs.Reads >= 5);
    }

    [Fact]
    public void StoredContentIsServedByTheKernel()
    {
        var fs = Mount(zeroMessageOpens: true);
        var file = Path.Combine(_mountPoint, "dir", "f3");
        Assert.True(File.Exists(file)); // the kernel now knows the inode
        var inode = FileStatus.Of(file).Inode;
        // Same length, other bytes: what the read returns shows who answered it.
        Assert.True(_session!.Store(inode, 0, Encoding.UTF8.GetBytes("STORED 3!")));
        Assert.Equal("STORED 3!", File.ReadAllText(file));
        Assert.Equal(0, fs.Reads);
        Assert.False(_session.Store(987_654, 0, [1, 2, 3]));
    }

    public void Dispose()
    {
        _session?.Dispose();
        FuseMounts.ForceUnmount(_mountPoint);
        _temp.Dispose();
    }
}
