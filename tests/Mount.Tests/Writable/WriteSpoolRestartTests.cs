using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Writable;

/// <summary>Nothing lost: a spool reopened after its daemon died commits what was closed and sets aside what was open.</summary>
public sealed class WriteSpoolRestartTests
{
    [Fact]
    public async Task RestartCommitsClosedFilesAndKeepsOpenOnesAside()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        var big = new byte[2 * 1024 * 1024];
        new Random(7).NextBytes(big);
        await using (var first = await fixture.OpenSpoolAsync())
        {
            Directory.CreateDirectory(Path.Combine(first.TreeRoot, "dir"));
            File.WriteAllText(Path.Combine(first.TreeRoot, "dir", "ingested.txt"), "ingested before the kill\n");
            first.FileOpenedForWrite("dir/ingested.txt");
            first.FileClosed("dir/ingested.txt");
            await SpoolFixture.WaitForIngestionAsync(first);
            File.WriteAllBytes(Path.Combine(first.TreeRoot, "closed.bin"), big);
            File.WriteAllText(Path.Combine(first.TreeRoot, "half.txt"), "half writ");
            first.FileOpenedForWrite("half.txt");
            // The daemon dies here: no commit, no close for half.txt, closed.bin never reported.
        }

        await using var second = await fixture.OpenSpoolAsync();
        await SpoolFixture.WaitForIngestionAsync(second);
        Assert.False(File.Exists(Path.Combine(second.TreeRoot, "half.txt")));
        var aside = Directory.GetFiles(Path.Combine(fixture.SpoolPath, "incomplete"), "half.txt", SearchOption.AllDirectories);
        Assert.Single(aside);
        Assert.Contains(fixture.Log, line => line.Contains("half.txt", StringComparison.Ordinal));

        var id = await second.CommitAsync(stopping: false, CancellationToken.None);
        var restored = await fixture.RestoreAsync(id!.Value, "restored");
        Assert.Equal("ingested before the kill\n", File.ReadAllText(Path.Combine(restored, "dir", "ingested.txt")));
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(restored, "closed.bin")));
        Assert.False(File.Exists(Path.Combine(restored, "half.txt")));
    }

    [Fact]
    public async Task SecondDaemonOnTheSameSpoolIsRefused()
    {
        await using var fixture = await SpoolFixture.CreateAsync(2);
        await using var first = await fixture.OpenSpoolAsync();
        var error = await Assert.ThrowsAsync<IOException>(() => fixture.OpenSpoolAsync());
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
    }
}
