using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Writer;

/// <summary>Same chunker, same blob IDs, same trees: each tool deduplicates against what the other wrote.</summary>
[Collection("writer")]
public sealed class DedupWithResticTests
{
    [Fact]
    public async Task OurBackupAddsNoDataAfterRestics()
    {
        using var temp = new TempDirectory("stashmount-writer");
        var source = temp.CreateSubdirectory("src");
        SourceTree.Create(source, randomBytes: 6_000_000, seed: 2);
        var restic = new ResticCli(temp.Combine("repo"));
        await restic.InitAsync();
        await restic.BackupAsync(temp.Path, [source]);

        var ours = new StashMountCli(restic.Repository);
        // --force reads every file again, so a match proves identical chunk boundaries and blob IDs.
        var summary = BackupSummaryJson.Parse((await ours.RunAsync("backup", "--json", "--force", source)).EnsureSuccess("stashmount backup").StandardOutput);
        Assert.Equal(0, summary.DataBlobs);
        (await restic.RunAsync("check")).EnsureSuccess("restic check");
    }

    [Fact]
    public async Task ResticBacksUpOnTopOfOurSnapshotWithoutNewData()
    {
        using var temp = new TempDirectory("stashmount-writer");
        var source = temp.CreateSubdirectory("src");
        SourceTree.Create(source, randomBytes: 6_000_000, seed: 3);
        var ours = new StashMountCli(temp.Combine("repo"));
        (await ours.RunAsync("init")).EnsureSuccess("stashmount init");
        var first = BackupSummaryJson.Parse((await ours.RunAsync("backup", "--json", source)).EnsureSuccess("stashmount backup").StandardOutput);
        Assert.True(first.DataBlobs > 3);

        var restic = new ResticCli(ours.Repository);
        var parentRun = await restic.RunAsync("backup", "--json", source);
        var withParent = BackupSummaryJson.Parse(parentRun.EnsureSuccess("restic backup").StandardOutput);
        Assert.Equal(0, withParent.DataBlobs);
        Assert.Equal(0, withParent.FilesNew); // restic took our snapshot as its parent
        var forced = BackupSummaryJson.Parse((await restic.RunAsync("backup", "--json", "--force", source)).EnsureSuccess("restic backup --force").StandardOutput);
        Assert.Equal(0, forced.DataBlobs);

        // And our parent logic: unchanged files are not read again, a changed one is.
        File.AppendAllText(Path.Combine(source, "sub", "hello.txt"), "more\n");
        var second = BackupSummaryJson.Parse((await ours.RunAsync("backup", "--json", source)).EnsureSuccess("stashmount backup 2").StandardOutput);
        Assert.Equal(1, second.DataBlobs);
        Assert.True(second.FilesUnmodified > 50);
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess("restic check --read-data");
    }
}
