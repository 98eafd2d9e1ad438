using StashMount.Backends.Local;
using StashMount.Repository.Config;
using StashMount.Repository.Writer;
using StashMount.TestSupport;

namespace StashMount.Repository.Tests.Loading;

/// <summary>An index file written by this process is added to another instance's index without being read back.</summary>
public sealed class SavedIndexTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SavedIndexIsAddedAsLoadedAndGivesWhatLoadingItGives()
    {
        var backend = new LocalBackend(_dir.Combine("repo"));
        backend.CreateLayout();
        await RepositoryInitializer.InitializeAsync(backend, ResticCli.Password);
        await using var writing = await ResticRepository.OpenAsync(backend, ResticCli.Password);
        await using var mounted = await ResticRepository.OpenAsync(backend, ResticCli.Password);
        await mounted.LoadIndexAsync();
        ObjectId tree;
        IReadOnlyList<(ObjectId File, IReadOnlyList<StashMount.Repository.Index.PackedBlob>? Blobs)> saved;
        await using (var writer = new RepositoryWriter(writing))
        {
            tree = await writer.SaveTreeAsync("{\"nodes\":[]}\n"u8.ToArray());
            await writer.FlushAsync();
            saved = writer.SavedIndexFiles;
        }

        var (file, blobs) = Assert.Single(saved);
        Assert.NotNull(blobs);
        await mounted.AddSavedIndexAsync(file, blobs);
        Assert.True(mounted.Index.TryGet(tree, BlobType.Tree, out var added));
        Assert.Equal(0, await mounted.LoadIndexAsync()); // listed, known, not read again

        await using var fresh = await ResticRepository.OpenAsync(backend, ResticCli.Password);
        Assert.Equal(1, await fresh.LoadIndexAsync());
        Assert.True(fresh.Index.TryGet(tree, BlobType.Tree, out var loaded));
        Assert.Equal(loaded, added);
        Assert.Equal(fresh.Index.Count, mounted.Index.Count);
    }
}
