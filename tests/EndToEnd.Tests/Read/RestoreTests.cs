using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Read;

[Collection(ReadCollection.Name)]
public sealed class RestoreTests(ReadFixture fixture)
{
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task RestoreEqualsResticRestoreAttributeForAttribute(int version)
    {
        var (restic, ours, snapshot) = version == 2
            ? (fixture.ResticV2, fixture.StashMountV2, fixture.LatestV2)
            : (fixture.ResticV1, fixture.StashMountV1, fixture.LatestV1);
        using var targets = new TempDirectory("stashmount-restore");
        var expected = targets.Combine("restic");
        var actual = targets.Combine("ours");
        (await restic.RunAsync("restore", snapshot, "--target", expected)).EnsureSuccess("restic restore");
        var result = await ours.RunAsync("restore", snapshot[..8], "--target", actual);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        Assert.Equal("", result.StandardError);
        var want = TreeCapture.Capture(expected);
        var got = TreeCapture.Capture(actual);
        Assert.Contains(want, line => line.Contains("big.bin"));
        TreeAssert.Equal(want, got);
    }

    [Theory]
    [InlineData("*.txt")]
    [InlineData("links")]
    [InlineData("/SOURCE/many/f001*")]
    public async Task IncludeSelectsWhatResticSelects(string pattern)
    {
        pattern = pattern.Replace("/SOURCE", fixture.Source);
        using var targets = new TempDirectory("stashmount-restore");
        var expected = targets.Combine("restic");
        var actual = targets.Combine("ours");
        (await fixture.ResticV2.RunAsync("restore", "latest", "--target", expected, "--include", pattern)).EnsureSuccess("restic restore");
        var result = await fixture.StashMountV2.RunAsync("restore", "latest", "--target", actual, "--include", pattern);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        // Parents that were not selected are made on the way, so their times are the restore's own.
        var options = new TreeCapture.Options(DirectoryTimes: false);
        var want = TreeCapture.Capture(expected, options);
        Assert.NotEmpty(want);
        TreeAssert.Equal(want, TreeCapture.Capture(actual, options));
    }

    [Fact]
    public async Task ExcludeLeavesOutMatchingPaths()
    {
        using var targets = new TempDirectory("stashmount-restore");
        var expected = targets.Combine("restic");
        var actual = targets.Combine("ours");
        (await fixture.ResticV2.RunAsync("restore", "latest", "--target", expected, "--exclude", "many", "--exclude", "*.bin")).EnsureSuccess("restic restore");
        var result = await fixture.StashMountV2.RunAsync("restore", "latest", "--target", actual, "--exclude", "many", "--exclude", "*.bin");
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        var want = TreeCapture.Capture(expected);
        Assert.DoesNotContain(want, line => line.Contains("/many/"));
        TreeAssert.Equal(want, TreeCapture.Capture(actual));
    }
}
