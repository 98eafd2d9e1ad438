using StashMount.Mount.Filesystem.Templates;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Tests.Filesystem.Templates;

public sealed class TemplateTreeTests
{
    private static readonly DateTimeOffset T = new DateTimeOffset(2024, 1, 2, 4, 5, 6, TimeSpan.FromHours(1)).AddMilliseconds(250);

    /// <summary>Every path of the tree: "path" for folders, "path=short id" for snapshots, "path->target" for links.</summary>
    private static List<string> Flatten(TemplateTree.Entry entry, string path = "")
    {
        var result = new List<string>();
        foreach (var (name, child) in entry.Children ?? [])
        {
            var childPath = path + "/" + name;
            if (child.LinkTarget is { } target)
                result.Add($"{childPath}->{target}");
            else if (child.Snapshot is { } snapshot)
                result.Add($"{childPath}={snapshot.ShortId[..2]}");
            else
            {
                result.Add(childPath);
                result.AddRange(Flatten(child, childPath));
            }
        }
        return result;
    }

    private static TemplateTree.Entry Build(IEnumerable<Snapshot> snapshots, string[] templates, string layout = GoTimeLayout.Rfc3339) =>
        TemplateTree.Build(snapshots.OrderBy(s => s.Time).ThenBy(s => s.Id), templates, s => GoTimeLayout.Format(s.Time, layout));

    [Fact]
    public void SameSecondGetsSuffixesInTimeOrderAndLatestPointsAtTheNewest()
    {
        Snapshot[] snapshots = [TemplateSnapshots.Make(2, T.AddMilliseconds(100)), TemplateSnapshots.Make(1, T), TemplateSnapshots.Make(3, T.AddMinutes(1)), TemplateSnapshots.Make(4, T.AddMilliseconds(200))];
        var tree = Flatten(Build(snapshots, ["snapshots/%T"]));
        string Id(int i) => snapshots[i].ShortId[..2];
        Assert.Equal(["/snapshots",
            $"/snapshots/2024-01-02T03:05:06Z={Id(1)}", $"/snapshots/2024-01-02T03:05:06Z-1={Id(0)}", $"/snapshots/2024-01-02T03:05:06Z-2={Id(3)}",
            $"/snapshots/2024-01-02T03:06:06Z={Id(2)}", "/snapshots/latest->2024-01-02T03:06:06Z"], tree);
    }

    [Fact]
    public void DefaultTemplatesGiveResticsLayoutWithEmptyFoldersKept()
    {
        var a = TemplateSnapshots.Make(1, T, "web", "u", "daily", "x");
        var tree = Flatten(Build([a], [.. PathTemplate.Defaults]));
        var name = "2024-01-02T03:05:06Z";
        var id = a.ShortId[..2];
        Assert.Equal(["/hosts", "/hosts/web", $"/hosts/web/{name}={id}", $"/hosts/web/latest->{name}",
            "/ids", $"/ids/{a.ShortId}={id}",
            "/snapshots", $"/snapshots/{name}={id}", $"/snapshots/latest->{name}",
            "/tags", "/tags/daily", $"/tags/daily/{name}={id}", $"/tags/daily/latest->{name}", "/tags/x", $"/tags/x/{name}={id}", $"/tags/x/latest->{name}"], tree);

        Assert.Equal(["/hosts", "/ids", "/snapshots", "/tags"], Flatten(Build([], [.. PathTemplate.Defaults])));
    }

    [Fact]
    public void TimeWithSlashesNestsAndCollisionsOutsideTimesGetSuffixesToo()
    {
        var a = TemplateSnapshots.Make(1, T, "web");
        var b = TemplateSnapshots.Make(2, T.AddHours(1), "web");
        var tree = Flatten(Build([a, b], ["%T/%h", "by-day/%T"], "2006/01/02"));
        Assert.Equal(["/2024", "/2024/01", "/2024/01/02", $"/2024/01/02/web={a.ShortId[..2]}", $"/2024/01/02/web-1={b.ShortId[..2]}",
            "/by-day", "/by-day/2024", "/by-day/2024/01", $"/by-day/2024/01/02={a.ShortId[..2]}", $"/by-day/2024/01/02-1={b.ShortId[..2]}",
            "/by-day/latest->2024/01/02-1"], tree);
    }

    [Theory]
    [InlineData("a//b/./c", "/a/b/c")]
    [InlineData("/a/../../b", "/b")]
    [InlineData("/", "")]
    public void PathsAreCleanedLikeGo(string path, string clean) => Assert.Equal(clean, TemplateTree.Clean(path));
}
