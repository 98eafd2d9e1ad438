using StashMount.Mount.Cli;
using StashMount.Repository;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Tests.Cli;

public sealed class SnapshotSelectorTests
{
    private static Snapshot Make(string idHex, int minute, string host = "h", string[]? paths = null, string[]? tags = null) => new()
    {
        Id = ObjectId.Parse(idHex.PadRight(64, '0')),
        Time = new DateTimeOffset(2024, 1, 1, 0, minute, 0, TimeSpan.Zero),
        TimeText = $"2024-01-01T00:{minute:00}:00Z",
        Tree = default,
        Hostname = host,
        Paths = paths ?? ["/data"],
        Tags = tags ?? [],
    };

    private static readonly Snapshot[] Snapshots =
    [
        Make("abc1", 1, "a", tags: ["x", "y"]),
        Make("abc2", 3, "b", paths: ["/other"]),
        Make("def0", 2, "a", tags: ["x"]),
    ];

    [Fact]
    public void LatestIsNewestMatchingFilter()
    {
        Assert.Equal("abc2", SnapshotSelector.Resolve(Snapshots, "latest", SnapshotFilter.All).Id.ToString()[..4]);
        Assert.Equal("def0", SnapshotSelector.Resolve(Snapshots, "latest", SnapshotFilter.Create(["a"], null, null)).Id.ToString()[..4]);
        Assert.Equal("def0", SnapshotSelector.Resolve(Snapshots, "latest", SnapshotFilter.Create(null, null, ["/data/"])).Id.ToString()[..4]);
        Assert.Equal("abc1", SnapshotSelector.Resolve(Snapshots, "latest", SnapshotFilter.Create(null, ["x,y"], null)).Id.ToString()[..4]);
    }

    [Fact]
    public void UniquePrefixAndFullIdResolve()
    {
        Assert.Equal("def0", SnapshotSelector.Resolve(Snapshots, "de", SnapshotFilter.All).Id.ToString()[..4]);
        var full = Snapshots[1].Id.ToString();
        Assert.Same(Snapshots[1], SnapshotSelector.Resolve(Snapshots, full, SnapshotFilter.All));
    }

    [Theory]
    [InlineData("abc", "ambiguous")]
    [InlineData("fff", "no snapshot")]
    [InlineData("xyz", "invalid snapshot ID")]
    public void BadArgumentsAreUsageErrors(string argument, string message)
    {
        var e = Assert.Throws<UsageException>(() => SnapshotSelector.Resolve(Snapshots, argument, SnapshotFilter.All));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void LatestNKeepsNewestPerHostAndPaths()
    {
        var chosen = StashMount.Mount.Commands.SnapshotsCommand.Select(Snapshots, SnapshotFilter.All, 1);
        Assert.Equal(["def0", "abc2"], chosen.Select(s => s.Id.ToString()[..4]));
    }
}
