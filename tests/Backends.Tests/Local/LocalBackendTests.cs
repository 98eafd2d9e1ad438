using StashMount.Backends;
using StashMount.Backends.Local;
using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Local;

public sealed class LocalBackendTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SavedPackLandsInRestics_layout_read_only()
    {
        var backend = new LocalBackend(_dir.Path);
        backend.CreateLayout();
        var name = new string('a', 64);
        await backend.SaveAsync(new FileHandle(FileType.Pack, name), new byte[] { 1, 2, 3, 4 });

        var path = _dir.Combine("data", "aa", name);
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
        var part = new byte[2];
        await backend.ReadAsync(new FileHandle(FileType.Pack, name), 1, part);
        Assert.Equal(new byte[] { 2, 3 }, part);
        var listed = new List<BackendFileInfo>();
        await foreach (var f in backend.ListAsync(FileType.Pack)) listed.Add(f);
        Assert.Equal([new BackendFileInfo(name, 4)], listed);
    }

    [Fact]
    public async Task MissingFileAndShortReadAreClearErrors()
    {
        var backend = new LocalBackend(_dir.Path);
        backend.CreateLayout();
        var handle = new FileHandle(FileType.Snapshot, new string('b', 64));
        await Assert.ThrowsAsync<BackendFileNotFoundException>(() => backend.StatAsync(handle));
        await Assert.ThrowsAsync<BackendFileNotFoundException>(() => backend.ReadAsync(handle, 0, new byte[1]));
        await backend.SaveAsync(handle, new byte[3]);
        await Assert.ThrowsAsync<BackendException>(() => backend.ReadAsync(handle, 2, new byte[5]));
        await Assert.ThrowsAsync<BackendException>(() => backend.SaveAsync(handle, new byte[3]));
        await backend.RemoveAsync(handle);
        await backend.RemoveAsync(handle);
        Assert.False(await backend.ExistsAsync(handle));
    }
}
