using StashMount.Mount.Cli;
using StashMount.Mount.Commands;

namespace StashMount.Mount.Tests.Filesystem;

public sealed class MountSizesTests
{
    [Theory]
    [InlineData("512M", 512L << 20)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("64mb", 64L << 20)]
    [InlineData("4096", 4096)]
    [InlineData("0", 0)]
    public void ParsesSizes(string text, long bytes) => Assert.Equal(bytes, MountSizes.ParseBytes(text, "--x"));

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("2", 2)]
    [InlineData("0", 0)]
    public void ParsesDurations(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), MountSizes.ParseDuration(text, "--x"));

    [Fact]
    public void RejectsGarbage()
    {
        Assert.Throws<UsageException>(() => MountSizes.ParseBytes("lots", "--cache-size"));
        Assert.Throws<UsageException>(() => MountSizes.ParseDuration("soon", "--refresh"));
    }
}
