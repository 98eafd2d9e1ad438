using System.Text.Json;
using StashMount.Backends;
using StashMount.Backends.Local;
using StashMount.TestSupport;

namespace StashMount.Repository.Tests.Keys;

/// <summary>Repositories made by the real restic 0.14 (v1 and v2, one or two keys) open with our key and config code.</summary>
public sealed class ResticCreatedRepositoryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task OpensRepositoryAndReadsTheSnapshotResticWrote(int version)
    {
        using var temp = new TempDirectory();
        var restic = new ResticCli(temp.Combine("repo"));
        await restic.InitAsync(version);
        var source = temp.CreateSubdirectory("src");
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "alpha\n");
        var snapshotId = await restic.FullSnapshotIdAsync(await restic.BackupAsync(temp.Path, ["src"], "--host", "crypto-test"));

        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), ResticCli.Password);
        Assert.Equal(version, repo.Config.Version);
        var json = await repo.LoadUnpackedAsync(new FileHandle(FileType.Snapshot, snapshotId));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("crypto-test", doc.RootElement.GetProperty("hostname").GetString());

        var configJson = (await restic.RunAsync("cat", "config")).EnsureSuccess("restic cat config").StandardOutput;
        using var config = JsonDocument.Parse(configJson);
        Assert.Equal(config.RootElement.GetProperty("id").GetString(), repo.Config.Id);
        Assert.Equal(config.RootElement.GetProperty("chunker_polynomial").GetString(), repo.Config.ChunkerPolynomial.ToString("x"));
    }

    [Fact]
    public async Task OpensWithEitherOfTwoKeysAndHonoursTheKeyHint()
    {
        using var temp = new TempDirectory();
        var restic = new ResticCli(temp.Combine("repo"));
        await restic.InitAsync();
        var firstKey = Directory.GetFiles(temp.Combine("repo", "keys")).Select(Path.GetFileName).Single()!;
        var newPasswordFile = temp.Combine("new-password");
        await File.WriteAllTextAsync(newPasswordFile, "zweites\n");
        (await restic.RunAsync("key", "add", "--new-password-file", newPasswordFile)).EnsureSuccess("restic key add");
        var secondKey = Directory.GetFiles(temp.Combine("repo", "keys")).Select(Path.GetFileName).Single(k => k != firstKey)!;
        var backend = new LocalBackend(restic.Repository);

        var byFirst = await ResticRepository.OpenAsync(backend, ResticCli.Password);
        Assert.Equal(firstKey, byFirst.KeyId);
        var bySecond = await ResticRepository.OpenAsync(backend, "zweites");
        Assert.Equal(secondKey, bySecond.KeyId);
        Assert.Equal(byFirst.Key.EncryptionKey, bySecond.Key.EncryptionKey);
        Assert.Equal(byFirst.Config, bySecond.Config);

        var hinted = await ResticRepository.OpenAsync(backend, "zweites", keyHint: secondKey[..8]);
        Assert.Equal(secondKey, hinted.KeyId);
        // A hint naming a key the password does not open falls back to the other keys, as in restic.
        var misHinted = await ResticRepository.OpenAsync(backend, "zweites", keyHint: firstKey);
        Assert.Equal(secondKey, misHinted.KeyId);

        await Assert.ThrowsAsync<WrongPasswordException>(() => ResticRepository.OpenAsync(backend, "drittes", keyHint: secondKey));
    }
}
