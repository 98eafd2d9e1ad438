namespace StashMount.Mount.Tests.Writable;

/// <summary>Nothing half-done: a file whose writer saw an error (a full spool disk) is set aside, not committed.</summary>
public sealed class WriteSpoolWriteFailureTests
{
    [Fact]
    public async Task FailedFileIsSetAsideAndTheRestIsCommitted()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        await using var spool = await fixture.OpenSpoolAsync();
        File.WriteAllText(Path.Combine(spool.TreeRoot, "whole.txt"), "whole\n");
        spool.FileOpenedForWrite("whole.txt");
        spool.FileClosed("whole.txt");
        File.WriteAllText(Path.Combine(spool.TreeRoot, "cut.txt"), "cut sh");
        spool.FileOpenedForWrite("cut.txt");
        using (await spool.EnterChangeAsync(CancellationToken.None))
            spool.FileWriteFailed("cut.txt");

        Assert.False(File.Exists(Path.Combine(spool.TreeRoot, "cut.txt")));
        Assert.Single(Directory.GetFiles(Path.Combine(fixture.SpoolPath, "incomplete"), "cut.txt", SearchOption.AllDirectories));
        Assert.Contains(fixture.Log, line => line.Contains("cut.txt", StringComparison.Ordinal));
        await SpoolFixture.WaitForIngestionAsync(spool);
        var id = await spool.CommitAsync(stopping: false, CancellationToken.None);
        var restored = await fixture.RestoreAsync(id!.Value, "restored");
        Assert.Equal("whole\n", File.ReadAllText(Path.Combine(restored, "whole.txt")));
        Assert.False(File.Exists(Path.Combine(restored, "cut.txt")));
    }

    [Fact]
    public async Task FailedFileTheWriterRemovedNeedsNothing()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        await using var spool = await fixture.OpenSpoolAsync();
        spool.FileWriteFailed("gone.txt");
        Assert.False(Directory.Exists(Path.Combine(fixture.SpoolPath, "incomplete")) &&
            Directory.GetFiles(Path.Combine(fixture.SpoolPath, "incomplete"), "*", SearchOption.AllDirectories).Length > 0);
    }
}
