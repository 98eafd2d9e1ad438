using StashMount.Mount.Filesystem.Templates;

namespace StashMount.Mount.Tests.Filesystem.Templates;

public sealed class PathTemplateTests
{
    private static readonly DateTimeOffset Time = new(2022, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public void PlaceholdersAreReplaced()
    {
        var snapshot = TemplateSnapshots.Make(1, Time, "web-1", "alice", "daily");
        Assert.Equal($"[ids/{snapshot.ShortId}] ", Expand("ids/%i", "T", snapshot));
        Assert.Equal($"[full/{snapshot.Id}] ", Expand("full/%I", "T", snapshot));
        Assert.Equal($"[by/alice@web-1/] T", Expand("by/%u@%h/%T", "T", snapshot));
        Assert.Equal($"[tags/daily/] T", Expand("tags/%t/%T", "T", snapshot));
        Assert.Equal($"[T/web-1] ", Expand("%T/%h", "T", snapshot));
        Assert.Equal($"[100%-x] ", Expand("100%%-%x", "T", snapshot));
    }

    [Fact]
    public void SeveralTagsGiveOnePathEachAndNoTagGivesNone()
    {
        var tagged = TemplateSnapshots.Make(1, Time, "h", "u", "a/b", "..", "");
        Assert.Equal($"[t/a_b/, t/__/, t/_/] T", Expand("t/%t/%T", "T", tagged));
        Assert.Equal($"[] ", Expand("t/%t/%T", "T", TemplateSnapshots.Make(2, Time)));
    }

    [Theory]
    [InlineData("hosts/%h/%T", "hosts")]
    [InlineData("a/b/x%i", "a/b")]
    [InlineData("%T/%i", "")]
    [InlineData("static/only", "")]
    public void StaticPrefixIsTheFolderBeforeTheFirstPlaceholder(string template, string prefix) =>
        Assert.Equal(prefix, PathTemplate.StaticPrefix(template));

    private static string Expand(string template, string time, Repository.Snapshots.Snapshot snapshot)
    {
        var (paths, name) = PathTemplate.Expand(template, time, snapshot);
        return $"[{string.Join(", ", paths)}] {name}";
    }
}
