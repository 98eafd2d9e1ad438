using System.Text.Json;
using StashMount.Backends;
using StashMount.Backends.Local;
using StashMount.Repository.Config;
using StashMount.TestSupport;

namespace StashMount.Repository.Tests.Config;

/// <summary>A repository we initialise is one restic 0.14 accepts: it lists, backs up into and checks it.</summary>
public sealed class RepositoryInitializerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ResticUsesARepositoryWeInitialised(int version)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("repo");
        var backend = new LocalBackend(path);
        backend.CreateLayout();
        var created = await RepositoryInitializer.InitializeAsync(backend, ResticCli.Password, version);
        Assert.Equal(version, created.Config.Version);
        Assert.Equal(53, StashMount.Repository.Chunker.Polynomial.Degree(created.Config.ChunkerPolynomial));

        var restic = new ResticCli(path);
        (await restic.RunAsync("snapshots")).EnsureSuccess("restic snapshots");
        var configJson = (await restic.RunAsync("cat", "config")).EnsureSuccess("restic cat config").StandardOutput;
        using (var config = JsonDocument.Parse(configJson))
        {
            Assert.Equal(version, config.RootElement.GetProperty("version").GetInt32());
            Assert.Equal(created.Config.Id, config.RootElement.GetProperty("id").GetString());
            Assert.Equal(created.Config.ChunkerPolynomial.ToString("x"), config.RootElement.GetProperty("chunker_polynomial").GetString());
        }

        var source = temp.CreateSubdirectory("src");
        await File.WriteAllBytesAsync(Path.Combine(source, "data.bin"), Enumerable.Range(0, 300_000).Select(i => (byte)(i * 13 % 251)).ToArray());
        var snapshotId = await restic.FullSnapshotIdAsync(await restic.BackupAsync(temp.Path, ["src"]));
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess("restic check");

        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(path), ResticCli.Password);
        Assert.Equal(created.Config, repo.Config);
        Assert.Equal(created.KeyId, repo.KeyId);
        var snapshot = await repo.LoadUnpackedAsync(new FileHandle(FileType.Snapshot, snapshotId));
        using var doc = JsonDocument.Parse(snapshot);
        Assert.True(doc.RootElement.TryGetProperty("tree", out _));
    }

    [Fact]
    public async Task RefusesToInitialiseOverAnExistingRepository()
    {
        using var temp = new TempDirectory();
        var backend = new LocalBackend(temp.Combine("repo"));
        backend.CreateLayout();
        await RepositoryInitializer.InitializeAsync(backend, ResticCli.Password);
        await Assert.ThrowsAsync<RepositoryException>(() => RepositoryInitializer.InitializeAsync(backend, ResticCli.Password));
        Assert.Single(Directory.GetFiles(temp.Combine("repo", "keys")));
    }

    [Fact]
    public async Task ResticReadsASnapshotFileWeSaved()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("repo");
        var backend = new LocalBackend(path);
        backend.CreateLayout();
        var created = await RepositoryInitializer.InitializeAsync(backend, ResticCli.Password);
        await using var repo = ResticRepository.FromKey(backend, created.Config, created.MasterKey);
        // `restic cat snapshot` only decrypts and decompresses the file, so the tree need not exist.
        var json = "{\"time\":\"2026-01-02T03:04:05.5Z\",\"tree\":\"ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8\",\"paths\":[\"/x\"],\"hostname\":\"h\"}"u8.ToArray();
        var id = await repo.SaveUnpackedAsync(FileType.Snapshot, json);
        var restic = new ResticCli(path);
        var printed = (await restic.RunAsync("cat", "snapshot", id.ToString())).EnsureSuccess("restic cat snapshot").StandardOutput;
        using var doc = JsonDocument.Parse(printed);
        Assert.Equal("h", doc.RootElement.GetProperty("hostname").GetString());
    }
}
