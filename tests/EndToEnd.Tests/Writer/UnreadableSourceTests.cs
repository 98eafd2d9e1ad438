using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Writer;

/// <summary>An unreadable file is reported and left out; the snapshot still completes and the exit code is 3.</summary>
[Collection("writer")]
public sealed class UnreadableSourceTests
{
    private const string Nobody = "65534";

    [Fact]
    public async Task UnreadableFileIsSkippedWithExitCode3()
    {
        using var temp = new TempDirectory("stashmount-writer");
        var source = temp.CreateSubdirectory("src");
        File.WriteAllText(Path.Combine(source, "readable"), "fine\n");
        var secret = Path.Combine(source, "secret");
        File.WriteAllText(secret, "no\n");
        var ours = new StashMountCli(temp.Combine("repo"));
        (await ours.RunAsync("init")).EnsureSuccess("stashmount init");
        // Root reads everything, so the backup runs as nobody, for whom "secret" is unreadable.
        File.SetUnixFileMode(secret, UnixFileMode.None);
        foreach (var entry in Directory.EnumerateFileSystemEntries(temp.Path, "*", SearchOption.AllDirectories).Append(temp.Path))
            if (entry != secret)
                File.SetUnixFileMode(entry, (UnixFileMode)0x1ff);
        var result = await ProcessRunner.RunAsync("setpriv",
            ["--reuid=" + Nobody, "--regid=" + Nobody, "--clear-groups", RepositoryPaths.StashMountBinary, "backup", "--json", source],
            new Dictionary<string, string?>(ours.Environment()) { ["HOME"] = temp.Path, ["DOTNET_CLI_HOME"] = temp.Path }, timeout: TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 3, $"exit {result.ExitCode}: {result.StandardError}");
        Assert.Contains(secret, result.StandardError, StringComparison.Ordinal);
        var summary = BackupSummaryJson.Parse(result.StandardOutput);
        var restic = new ResticCli(ours.Repository);
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess("restic check");
        var listing = (await restic.RunAsync("ls", summary.SnapshotId)).EnsureSuccess("restic ls").StandardOutput;
        Assert.Contains("/readable", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("/secret", listing, StringComparison.Ordinal);
    }
}
