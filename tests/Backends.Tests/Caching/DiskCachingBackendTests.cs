using StashMount.Backends.Caching;
using StashMount.Backends.Local;
using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Caching;

public sealed class DiskCachingBackendTests : IDisposable
{
    private readonly TempDirectory _storage = new();
    private readonly TempDirectory _cacheDirectory = new();

    public void Dispose()
    {
        _storage.Dispose();
        _cacheDirectory.Dispose();
    }

    private LocalBackend Storage()
    {
        var backend = new LocalBackend(_storage.Path);
        backend.CreateLayout();
        return backend;
    }

    private static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes go behind the read; wait (with a generous deadline) until the entry is on disk.</summary>
    private async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the disk cache never got there; it holds: "
                + string.Join(", ", Directory.EnumerateFiles(_cacheDirectory.Path, "*", SearchOption.AllDirectories).Select(f => $"{Path.GetFileName(f)} {File.GetLastWriteTimeUtc(f):HH:mm:ss.fff}")));
            await Task.Delay(20);
        }
    }

    private static void DeleteFromStorage(string root, FileHandle handle)
    {
        var file = Directory.EnumerateFiles(root, handle.Name, SearchOption.AllDirectories).Single();
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Delete(file);
    }

    [Fact]
    public async Task AnIndexFileAndAPackRangeAreServedFromDiskOnceTheStorageLostThem()
    {
        var storage = Storage();
        var index = new FileHandle(FileType.Index, new string('1', 64));
        var pack = new FileHandle(FileType.Pack, new string('2', 64));
        var indexBytes = Content(5000, 1);
        var packBytes = Content(100_000, 2);
        await storage.SaveAsync(index, indexBytes);
        await storage.SaveAsync(pack, packBytes);

        var cached = new DiskCachingBackend(storage, new DiskCache(_cacheDirectory.Path, 10 << 20), cachePackRanges: true);
        Assert.Equal(indexBytes, await cached.ReadAllAsync(index));
        var range = new byte[30_000];
        await cached.ReadAsync(pack, 20_000, range);
        Assert.Equal(packBytes.AsSpan(20_000, 30_000).ToArray(), range);
        await WaitForAsync(() => File.Exists(cached.Cache.FilePath(index)) && cached.Cache.FindRange(pack.Name, 20_000, 30_000) != null);

        DeleteFromStorage(_storage.Path, index);
        DeleteFromStorage(_storage.Path, pack);
        // A new mount over the same cache folder: it finds what the last one stored.
        var remount = new DiskCachingBackend(storage, new DiskCache(_cacheDirectory.Path, 10 << 20), cachePackRanges: true);
        Assert.Equal(indexBytes, await remount.ReadAllAsync(index));
        var inner = new byte[1000];
        await remount.ReadAsync(pack, 25_000, inner);
        Assert.Equal(packBytes.AsSpan(25_000, 1000).ToArray(), inner);
        Assert.Equal(2, remount.Hits);
        // A range the cache does not hold still goes to the storage (which no longer has it).
        await Assert.ThrowsAnyAsync<BackendException>(() => remount.ReadAsync(pack, 0, new byte[10]));
    }

    [Fact]
    public async Task AStreamedRangeIsNotKeptButIsServedFromDiskWhenAlreadyThere()
    {
        var storage = Storage();
        var pack = new FileHandle(FileType.Pack, new string('6', 64));
        var packBytes = Content(50_000, 6);
        await storage.SaveAsync(pack, packBytes);
        var cached = new DiskCachingBackend(storage, new DiskCache(_cacheDirectory.Path, 10 << 20), cachePackRanges: true);

        var streamed = new byte[10_000];
        await cached.ReadAsync(pack, 0, streamed, keep: false, CancellationToken.None);
        Assert.Equal(packBytes.AsSpan(0, 10_000).ToArray(), streamed);
        await cached.ReadAsync(pack, 20_000, new byte[10_000]);
        await WaitForAsync(() => cached.Cache.FindRange(pack.Name, 20_000, 10_000) != null);
        Assert.Null(cached.Cache.FindRange(pack.Name, 0, 10_000));

        DeleteFromStorage(_storage.Path, pack);
        var again = new byte[5_000];
        await cached.ReadAsync(pack, 22_000, again, keep: false, CancellationToken.None);
        Assert.Equal(packBytes.AsSpan(22_000, 5_000).ToArray(), again);
        Assert.Equal(1, cached.Hits);
    }

    [Fact]
    public async Task TheTrimKeepsTheBudgetAndDropsTheLeastRecentlyUsedFirst()
    {
        var storage = Storage();
        var pack = new FileHandle(FileType.Pack, new string('3', 64));
        await storage.SaveAsync(pack, Content(400_000, 3));
        var cache = new DiskCache(_cacheDirectory.Path, 250_000);
        var cached = new DiskCachingBackend(storage, cache, cachePackRanges: true);

        await cached.ReadAsync(pack, 0, new byte[100_000]);
        await WaitForAsync(() => cache.FindRange(pack.Name, 0, 100_000) != null);
        await cached.ReadAsync(pack, 100_000, new byte[100_000]);
        await WaitForAsync(() => cache.FindRange(pack.Name, 100_000, 100_000) != null);
        // The first range was used last (its time is touched on a hit), so the second is the oldest.
        File.SetLastWriteTimeUtc(Path.Join(_cacheDirectory.Path, "packs", pack.Name, "100000-100000"), DateTime.UtcNow.AddHours(-1));
        await cached.ReadAsync(pack, 200_000, new byte[100_000]);
        await WaitForAsync(() => cache.FindRange(pack.Name, 200_000, 100_000) != null && cache.FindRange(pack.Name, 100_000, 100_000) == null);

        Assert.NotNull(cache.FindRange(pack.Name, 0, 100_000));
        await WaitForAsync(() => cache.Bytes <= 250_000);
        var onDisk = Directory.EnumerateFiles(_cacheDirectory.Path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(onDisk <= 250_000, $"{onDisk} bytes on disk");
    }

    [Fact]
    public async Task WithoutPackRangesOnlyIndexAndSnapshotFilesAreKept()
    {
        var storage = Storage();
        var snapshot = new FileHandle(FileType.Snapshot, new string('4', 64));
        var pack = new FileHandle(FileType.Pack, new string('5', 64));
        await storage.SaveAsync(snapshot, Content(300, 4));
        await storage.SaveAsync(pack, Content(3000, 5));
        var cached = new DiskCachingBackend(storage, new DiskCache(_cacheDirectory.Path, 1 << 20), cachePackRanges: false);
        await cached.ReadAllAsync(snapshot);
        await cached.ReadAsync(pack, 0, new byte[3000]);
        await WaitForAsync(() => File.Exists(cached.Cache.FilePath(snapshot)));
        Assert.False(Directory.Exists(Path.Join(_cacheDirectory.Path, "packs")));
    }
}
