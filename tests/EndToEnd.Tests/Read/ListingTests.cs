using System.Text.Json.Nodes;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Read;

[Collection(ReadCollection.Name)]
public sealed class ListingTests(ReadFixture fixture)
{
    [Fact]
    public async Task SnapshotsJsonEqualsResticFieldByField()
    {
        var want = JsonNode.Parse((await fixture.ResticV2.RunAsync("snapshots", "--json")).EnsureSuccess("restic snapshots").StandardOutput)!.AsArray();
        var result = (await fixture.StashMountV2.RunAsync("snapshots", "--json")).EnsureSuccess("stashmount snapshots");
        var got = JsonNode.Parse(result.StandardOutput)!.AsArray();
        Assert.Equal(3, want.Count);
        Assert.Equal(want.Count, got.Count);
        // restic leaves the order of snapshots with identical times to the listing; compare by ID.
        var ours = got.ToDictionary(s => s!["id"]!.GetValue<string>(), s => s!.AsObject());
        foreach (var w in want.Select(s => s!.AsObject()))
        {
            var g = ours[w["id"]!.GetValue<string>()];
            Assert.Equal(w.Select(p => p.Key).Order(), g.Select(p => p.Key).Order());
            foreach (var (key, value) in w)
                Assert.True(JsonNode.DeepEquals(value, g[key]), $"snapshot {w["short_id"]} field {key}: restic {value?.ToJsonString()} ours {g[key]?.ToJsonString()}");
        }
        Assert.Equal(want.Select(s => s!["time"]!.GetValue<string>()), got.Select(s => s!["time"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("--host", "beta")]
    [InlineData("--tag", "t1")]
    [InlineData("--tag", "t1,t3")]
    public async Task SnapshotFiltersMatchRestic(string flag, string value)
    {
        var want = JsonNode.Parse((await fixture.ResticV2.RunAsync("snapshots", "--json", flag, value)).EnsureSuccess("restic snapshots").StandardOutput)!;
        var got = JsonNode.Parse((await fixture.StashMountV2.RunAsync("snapshots", "--json", flag, value)).EnsureSuccess("stashmount snapshots").StandardOutput)!;
        Assert.True(JsonNode.DeepEquals(want, got), $"restic {want.ToJsonString()}\nours {got.ToJsonString()}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("-l")]
    [InlineData("SOURCE/links")]
    [InlineData("-l|SOURCE/special|SOURCE/plain.txt")]
    public async Task LsEqualsRestic(string extra)
    {
        string[] arguments = ["ls", fixture.LatestV2, .. extra.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Replace("SOURCE", fixture.Source))];
        var want = (await fixture.ResticV2.RunAsync(arguments)).EnsureSuccess("restic ls").StandardOutput;
        var got = (await fixture.StashMountV2.RunAsync(arguments)).EnsureSuccess("stashmount ls").StandardOutput;
        Assert.Equal(want, got);
    }

    [Fact]
    public async Task LsJsonEqualsResticLineByLine()
    {
        var want = (await fixture.ResticV1.RunAsync("ls", "--json", "latest")).EnsureSuccess("restic ls").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var got = (await fixture.StashMountV1.RunAsync("ls", "--json", "latest")).EnsureSuccess("stashmount ls").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(want.Length, got.Length);
        for (var i = 0; i < want.Length; i++)
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(want[i]), JsonNode.Parse(got[i])), $"line {i}:\nrestic {want[i]}\nours   {got[i]}");
    }

    [Fact]
    public async Task DumpPrintsTheFileBytes()
    {
        var path = fixture.Source + "/big.bin";
        var want = await File.ReadAllBytesAsync(path);
        var result = (await fixture.StashMountV2.RunAsync("dump", "latest", path)).EnsureSuccess("stashmount dump");
        Assert.Equal(want.Length, result.StandardOutputBytes.Length);
        Assert.True(want.AsSpan().SequenceEqual(result.StandardOutputBytes), "dumped bytes differ");
        var small = (await fixture.StashMountV1.RunAsync("dump", fixture.LatestV1, fixture.Source + "/grüße 日本語.txt")).EnsureSuccess("stashmount dump");
        Assert.Equal("unicode\n", small.StandardOutput);
    }

    [Fact]
    public async Task SnapshotArgumentErrorsAreOneLine()
    {
        var missing = await fixture.StashMountV2.RunAsync("ls", "ffffffff");
        Assert.Equal(1, missing.ExitCode);
        Assert.Single(missing.StandardError.TrimEnd('\n').Split('\n'));
        var notFile = await fixture.StashMountV2.RunAsync("dump", "latest", fixture.Source + "/links/to-plain");
        Assert.Equal(1, notFile.ExitCode);
        Assert.Single(notFile.StandardError.TrimEnd('\n').Split('\n'));
    }
}
