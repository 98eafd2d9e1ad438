using StashMount.Mount.Restore;

namespace StashMount.Mount.Tests.Restore;

public sealed class PathPatternTests
{
    [Theory]
    [InlineData("*.txt", "/data/a.txt", true)]
    [InlineData("*.txt", "/data/a.bin", false)]
    [InlineData("sub", "/data/sub/f", true)]
    [InlineData("sub", "/data/subway", false)]
    [InlineData("/data/sub", "/data/sub/deeper/g", true)]
    [InlineData("/data/sub", "/other/data/sub", false)]
    [InlineData("/data/**/g", "/data/sub/deeper/g", true)]
    [InlineData("/data/**/g", "/data/g", true)]
    [InlineData("/data/f[0-2]?", "/data/f1x", true)]
    [InlineData("/data/f[^0-2]?", "/data/f1x", false)]
    [InlineData("/data/f\\*", "/data/f*", true)]
    [InlineData("/data/f\\*", "/data/fx", false)]
    public void MatchesLikeRestic(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new PathPattern(pattern).Matches(path));

    [Theory]
    [InlineData("/data/sub/f", "/data", true)]
    [InlineData("/data/sub/f", "/other", false)]
    [InlineData("*.txt", "/anything", true)]
    [InlineData("/data/**/g", "/data/x/y", true)]
    public void KnowsWhenChildrenMayMatch(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new PathPattern(pattern).MayMatchBelow(path));

    [Fact]
    public void ExcludeWinsOverIncludeAndPrunesChildren()
    {
        var filter = RestoreFilter.Create(["/data"], ["/data/tmp"]);
        Assert.True(filter.IsSelected("/data/a"));
        Assert.False(filter.IsSelected("/data/tmp/x"));
        Assert.False(filter.MayHaveSelectedChildren("/data/tmp"));
        Assert.True(filter.MayHaveSelectedChildren("/data"));
    }
}
