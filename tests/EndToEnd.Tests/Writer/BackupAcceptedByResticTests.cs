using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Writer;

/// <summary>restic is the judge: our snapshots pass `restic check --read-data` and restore byte for byte.</summary>
[Collection("writer")]
public sealed class BackupAcceptedByResticTests
{
    [Theory]
    [InlineData(1, "auto")]
    [InlineData(2, "off")]
    [InlineData(2, "auto")]
    [InlineData(2, "max")]
    public async Task ResticChecksAndRestoresOurSnapshot(int version, string compression)
    {
        using var temp = new TempDirectory("stashmount-writer");
        var source = temp.CreateSubdirectory("src");
        SourceTree.Create(source);
        var ours = new StashMountCli(temp.Combine("repo"));
        (await ours.RunAsync("init", "--repository-version", version.ToString())).EnsureSuccess("stashmount init");
        // A small pack size makes several packs out of the test data.
        var backup = (await ours.RunAsync("backup", "--json", "--compression", compression, "--pack-size", "4", "--tag", "t1", "--host", "h1", source))
            .EnsureSuccess("stashmount backup");
        var summary = BackupSummaryJson.Parse(backup.StandardOutput);

        var restic = new ResticCli(ours.Repository);
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess("restic check --read-data");
        var restored = temp.Combine("restored");
        (await restic.RunAsync("restore", summary.SnapshotId, "--target", restored)).EnsureSuccess("restic restore");
        TreeComparer.AssertSame(source, restored + source);

        var snapshots = (await restic.RunAsync("snapshots", "--json")).EnsureSuccess("restic snapshots").StandardOutput;
        Assert.Contains("\"hostname\":\"h1\"", snapshots, StringComparison.Ordinal);
        Assert.Contains("\"tags\":[\"t1\"]", snapshots, StringComparison.Ordinal);
        Assert.Contains($"\"paths\":[\"{source}\"]", snapshots, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockConflictExitsWith11NamingTheHolder()
    {
        using var temp = new TempDirectory("stashmount-writer");
        var source = temp.CreateSubdirectory("src");
        File.WriteAllText(Path.Combine(source, "a"), "a");
        var ours = new StashMountCli(temp.Combine("repo"));
        (await ours.RunAsync("init")).EnsureSuccess("stashmount init");
        await using var backend = new StashMount.Backends.Local.LocalBackend(ours.Repository);
        await using var repository = await StashMount.Repository.ResticRepository.OpenAsync(backend, ours.Password);
        await using (await StashMount.Repository.Locks.RepositoryLock.AcquireAsync(repository, exclusive: true))
        {
            var result = await ours.RunAsync("backup", source);
            Assert.Equal(11, result.ExitCode);
            Assert.Contains("locked exclusively by PID " + Environment.ProcessId, result.StandardError, StringComparison.Ordinal);
        }
        (await ours.RunAsync("backup", source)).EnsureSuccess("backup after the lock is gone");
        Assert.Empty(Directory.GetFiles(Path.Combine(ours.Repository, "locks")));
    }
}
