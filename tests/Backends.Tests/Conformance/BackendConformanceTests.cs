using System.Security.Cryptography;

namespace StashMount.Backends.Tests.Conformance;

/// <summary>
/// The behaviour every backend must show, run against each one by a subclass that says how to open a fresh,
/// empty repository location. One rule set for all backends keeps the repository layer storage-agnostic.
/// </summary>
public abstract class BackendConformanceTests : IAsyncLifetime
{
    private IBackend? _backend;

    protected IBackend Backend => _backend ?? throw new InvalidOperationException("backend not opened");

    /// <summary>Opens a backend on a location no other test uses.</summary>
    protected abstract Task<IBackend> OpenFreshAsync();

    public async Task InitializeAsync() => _backend = await OpenFreshAsync();

    public async Task DisposeAsync()
    {
        if (_backend != null)
            await _backend.DisposeAsync();
    }

    protected static string NewName() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    protected static byte[] RandomBytes(int length)
    {
        var data = new byte[length];
        Random.Shared.NextBytes(data);
        return data;
    }

    private async Task<List<BackendFileInfo>> ListAllAsync(FileType type)
    {
        var list = new List<BackendFileInfo>();
        await foreach (var f in Backend.ListAsync(type))
            list.Add(f);
        return list;
    }

    [Fact]
    public async Task SavedFileCanBeStattedAndReadWhole()
    {
        var handle = new FileHandle(FileType.Snapshot, NewName());
        var content = RandomBytes(1234);
        await Backend.SaveAsync(handle, content);

        Assert.Equal(new BackendFileInfo(handle.Name, content.Length), await Backend.StatAsync(handle));
        Assert.Equal(content, await Backend.ReadAllAsync(handle));
    }

    [Fact]
    public async Task ConfigIsSavedAndReadAtTheRoot()
    {
        var content = RandomBytes(155);
        Assert.False(await Backend.ExistsAsync(FileHandle.Config));
        await Backend.SaveAsync(FileHandle.Config, content);
        Assert.Equal(content.Length, (await Backend.StatAsync(FileHandle.Config)).Size);
        Assert.Equal(content, await Backend.ReadAllAsync(FileHandle.Config));
    }

    [Fact]
    public async Task RangeReadReturnsExactlyTheRange()
    {
        var handle = new FileHandle(FileType.Pack, NewName());
        var content = RandomBytes(10_000);
        await Backend.SaveAsync(handle, content);

        var part = new byte[777];
        await Backend.ReadAsync(handle, 4321, part);
        Assert.Equal(content.AsSpan(4321, 777).ToArray(), part);

        var tail = new byte[10];
        await Backend.ReadAsync(handle, content.Length - 10, tail);
        Assert.Equal(content.AsSpan(content.Length - 10).ToArray(), tail);

        var first = new byte[1];
        await Backend.ReadAsync(handle, 0, first);
        Assert.Equal(content[0], first[0]);
    }

    [Fact]
    public async Task ListingGivesNamesAndSizesPerType()
    {
        var packs = Enumerable.Range(0, 5).Select(i => (Name: NewName(), Size: 100 + i)).ToList();
        foreach (var (name, size) in packs)
            await Backend.SaveAsync(new FileHandle(FileType.Pack, name), RandomBytes(size));
        var index = NewName();
        await Backend.SaveAsync(new FileHandle(FileType.Index, index), RandomBytes(42));
        var key = NewName();
        await Backend.SaveAsync(new FileHandle(FileType.Key, key), RandomBytes(7));

        var listedPacks = await ListAllAsync(FileType.Pack);
        Assert.Equal(packs.Select(p => new BackendFileInfo(p.Name, p.Size)).OrderBy(p => p.Name), listedPacks.OrderBy(p => p.Name));
        Assert.Equal([new BackendFileInfo(index, 42)], await ListAllAsync(FileType.Index));
        Assert.Equal([new BackendFileInfo(key, 7)], await ListAllAsync(FileType.Key));
        Assert.Empty(await ListAllAsync(FileType.Snapshot));
        Assert.Empty(await ListAllAsync(FileType.Lock));
    }

    [Fact]
    public async Task RemovedFileIsGoneAndRemovingAgainIsFine()
    {
        var handle = new FileHandle(FileType.Lock, NewName());
        await Backend.SaveAsync(handle, RandomBytes(10));
        Assert.True(await Backend.ExistsAsync(handle));
        await Backend.RemoveAsync(handle);
        Assert.False(await Backend.ExistsAsync(handle));
        Assert.Empty(await ListAllAsync(FileType.Lock));
        await Backend.RemoveAsync(handle);
    }

    [Fact]
    public async Task MissingFileIsReportedAsNotFound()
    {
        var handle = new FileHandle(FileType.Pack, NewName());
        await Assert.ThrowsAsync<BackendFileNotFoundException>(() => Backend.StatAsync(handle));
        await Assert.ThrowsAsync<BackendFileNotFoundException>(() => Backend.ReadAsync(handle, 0, new byte[10]));
        await Assert.ThrowsAsync<BackendFileNotFoundException>(() => Backend.StatAsync(FileHandle.Config));
    }

    [Fact]
    public async Task ReadingPastTheEndIsAnError()
    {
        var handle = new FileHandle(FileType.Index, NewName());
        await Backend.SaveAsync(handle, RandomBytes(100));
        var error = await Assert.ThrowsAnyAsync<BackendException>(() => Backend.ReadAsync(handle, 90, new byte[20]));
        Assert.IsNotType<BackendFileNotFoundException>(error);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task SavingAnExistingFileIsAnErrorAndKeepsTheOriginal()
    {
        var handle = new FileHandle(FileType.Key, NewName());
        var original = RandomBytes(64);
        await Backend.SaveAsync(handle, original);
        await Assert.ThrowsAnyAsync<BackendException>(() => Backend.SaveAsync(handle, RandomBytes(65)));
        Assert.Equal(original, await Backend.ReadAllAsync(handle));
    }

    [Fact]
    public async Task ConcurrentRangeReadsAllReturnTheirOwnBytes()
    {
        var handle = new FileHandle(FileType.Pack, NewName());
        var content = RandomBytes(256 * 1024);
        await Backend.SaveAsync(handle, content);

        var reads = Enumerable.Range(0, 32).Select(async i =>
        {
            var offset = i * 8000;
            var buffer = new byte[5000 + i];
            await Backend.ReadAsync(handle, offset, buffer);
            return content.AsSpan(offset, buffer.Length).SequenceEqual(buffer);
        });
        Assert.All(await Task.WhenAll(reads), Assert.True);
    }

    [Fact]
    public async Task LargeFileRoundTrips()
    {
        var handle = new FileHandle(FileType.Pack, NewName());
        var content = RandomBytes(20 * 1024 * 1024);
        await Backend.SaveAsync(handle, content);
        Assert.Equal(content.Length, (await Backend.StatAsync(handle)).Size);
        var back = await Backend.ReadAllAsync(handle);
        Assert.True(content.AsSpan().SequenceEqual(back));
        var middle = new byte[1024 * 1024];
        await Backend.ReadAsync(handle, 13 * 1024 * 1024 + 17, middle);
        Assert.True(content.AsSpan(13 * 1024 * 1024 + 17, middle.Length).SequenceEqual(middle));
    }

    [Fact]
    public async Task ListingMoreThanOnePageReturnsEveryFile()
    {
        // 1000 is the page size of S3, Azure and GCS listings: more than that forces pagination.
        const int count = 1100;
        var names = Enumerable.Range(0, count).Select(_ => NewName()).ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (name, ct) => await Backend.SaveAsync(new FileHandle(FileType.Snapshot, name), new byte[] { 1, 2 }, ct));

        var listed = await ListAllAsync(FileType.Snapshot);
        Assert.Equal(count, listed.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(listed, f => Assert.Equal(2, f.Size));
    }
}
