using StashMount.Backends.Local;
using StashMount.TestSupport;

namespace StashMount.Repository.Tests.Loading;

/// <summary>Repositories written by the real restic: every snapshot's trees and file contents equal the source files.</summary>
public sealed class ResticWrittenRepositoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task EverySnapshotMatchesItsSource(int version)
    {
        var restic = new ResticCli(_temp.Combine("repo"));
        await restic.InitAsync(version);
        var first = _temp.Combine("first");
        var second = _temp.Combine("second");
        SampleFiles.Create(first, seed: 1);
        SampleFiles.Create(second, seed: 2);
        await restic.BackupAsync(_temp.Path, [first]);
        await restic.BackupAsync(_temp.Path, [second], "--tag", "two");

        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), ResticCli.Password);
        Assert.Equal(version, repo.Config.Version);
        Assert.True(await repo.LoadIndexAsync() >= 1);
        var snapshots = await repo.LoadSnapshotsAsync();
        Assert.Equal(2, snapshots.Count);
        Assert.Equal([first], snapshots[0].Paths);
        Assert.Equal(["two"], snapshots[1].Tags);
        foreach (var snapshot in snapshots)
        {
            var source = snapshot.Paths[0];
            var tree = await SnapshotComparer.FindTreeAsync(repo, snapshot.Tree, source);
            Assert.Equal(9, await SnapshotComparer.AssertEqualAsync(repo, tree, source));
        }
    }

    [Fact]
    public async Task LaterLoadsPickUpOnlyNewIndexFilesAndSnapshots()
    {
        var restic = new ResticCli(_temp.Combine("repo"));
        await restic.InitAsync();
        var first = _temp.Combine("first");
        SampleFiles.Create(first, seed: 3);
        await restic.BackupAsync(_temp.Path, [first]);

        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), ResticCli.Password);
        var loaded = await repo.LoadIndexAsync();
        Assert.True(loaded >= 1);
        var blobs = repo.Index.Count;
        Assert.Single(await repo.LoadSnapshotsAsync());

        var second = _temp.Combine("second");
        SampleFiles.Create(second, seed: 4);
        await restic.BackupAsync(_temp.Path, [second]);
        Assert.True(await repo.LoadIndexAsync() >= 1);
        Assert.Equal(0, await repo.LoadIndexAsync());
        Assert.True(repo.Index.Count > blobs);
        var snapshots = await repo.LoadSnapshotsAsync();
        Assert.Equal(2, snapshots.Count);
        var tree = await SnapshotComparer.FindTreeAsync(repo, snapshots[1].Tree, second);
        Assert.Equal(9, await SnapshotComparer.AssertEqualAsync(repo, tree, second));
    }

    [Fact]
    public async Task IndexIsRebuiltAfterAPruneRemovedIndexFiles()
    {
        var restic = new ResticCli(_temp.Combine("repo"));
        await restic.InitAsync();
        var first = _temp.Combine("first");
        var second = _temp.Combine("second");
        SampleFiles.Create(first, seed: 5);
        SampleFiles.Create(second, seed: 6);
        await restic.BackupAsync(_temp.Path, [first]);
        await restic.BackupAsync(_temp.Path, [second]);

        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), ResticCli.Password);
        await repo.LoadIndexAsync();
        var before = repo.Index.Count;
        var firstSnapshot = (await repo.LoadSnapshotsAsync())[0];
        (await restic.RunAsync("forget", "--prune", firstSnapshot.Id.ToString())).EnsureSuccess("restic forget --prune");

        Assert.True(await repo.LoadIndexAsync() >= 1);
        Assert.True(repo.Index.Count < before, $"index still has {repo.Index.Count} of {before} blobs");
        var snapshot = Assert.Single(await repo.LoadSnapshotsAsync());
        var tree = await SnapshotComparer.FindTreeAsync(repo, snapshot.Tree, second);
        Assert.Equal(9, await SnapshotComparer.AssertEqualAsync(repo, tree, second));
        var gone = await SnapshotComparer.FindTreeAsync(repo, firstSnapshot.Tree, first).ContinueWith(t => t.Exception?.InnerException);
        Assert.IsType<BlobNotFoundException>(gone);
    }
}
