using System.Text;
using StashMount.Repository.Snapshots;

namespace StashMount.Repository.Tests.Snapshots;

public sealed class SnapshotParserTests
{
    private static readonly ObjectId SnapshotId = ObjectId.Parse("82aa14fabdaa42e52e6bb6315b7197d3bf1e71e5f532789f9cd30771602f20f8");

    private static Snapshot Parse(string json) => SnapshotParser.Parse(SnapshotId, Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ParsesResticSnapshot()
    {
        const string json = """{"time":"2026-11-22T01:26:31.769119761Z","tree":"8ae196781ff50eb7c1c7d1f0b06c7e8c7da9e7e15852b8fc7b059d98077eb83a","paths":["/tmp/fx/src"],"hostname":"fixture","username":"root","tags":["fx"]}""";
        var snapshot = Parse(json);
        Assert.Equal(SnapshotId, snapshot.Id);
        Assert.Equal("82aa14fa", snapshot.ShortId);
        Assert.Equal("2026-11-22T01:26:31.769119761Z", snapshot.TimeText);
        Assert.Equal(769119761, snapshot.Timestamp.Nanoseconds);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 26, 31, TimeSpan.Zero).AddTicks(7691197), snapshot.Time);
        Assert.Equal(ObjectId.Parse("8ae196781ff50eb7c1c7d1f0b06c7e8c7da9e7e15852b8fc7b059d98077eb83a"), snapshot.Tree);
        Assert.Equal(["/tmp/fx/src"], snapshot.Paths);
        Assert.Equal(("fixture", "root"), (snapshot.Hostname, snapshot.Username));
        Assert.Equal(["fx"], snapshot.Tags);
        Assert.Empty(snapshot.Excludes);
        Assert.Null(snapshot.Parent);
        Assert.Null(snapshot.Original);
        Assert.Null(snapshot.ProgramVersion);
        Assert.Equal(json, snapshot.Json.GetRawText());
    }

    [Fact]
    public void ParsesOptionalMembersOfLaterVersions()
    {
        var snapshot = Parse("""
            {"time":"2015-11-10T22:09:48.754006018+01:00","parent":"1111111111111111111111111111111111111111111111111111111111111111","tree":"8ae196781ff50eb7c1c7d1f0b06c7e8c7da9e7e15852b8fc7b059d98077eb83a","paths":["/a","/b"],"uid":1000,"gid":100,"excludes":["*.tmp"],"original":"2222222222222222222222222222222222222222222222222222222222222222","program_version":"restic 0.17.0","summary":{"files_new":1}}

            """);
        Assert.Equal(60, snapshot.Timestamp.OffsetMinutes);
        Assert.Equal(TimeSpan.FromHours(1), snapshot.Time.Offset);
        Assert.Equal(ObjectId.Parse("1111111111111111111111111111111111111111111111111111111111111111"), snapshot.Parent);
        Assert.Equal(ObjectId.Parse("2222222222222222222222222222222222222222222222222222222222222222"), snapshot.Original);
        Assert.Equal((1000u, 100u), (snapshot.Uid, snapshot.Gid));
        Assert.Equal(["*.tmp"], snapshot.Excludes);
        Assert.Equal("restic 0.17.0", snapshot.ProgramVersion);
        Assert.Equal("", snapshot.Hostname);
        Assert.Equal(1, snapshot.Json.GetProperty("summary").GetProperty("files_new").GetInt32());
    }

    [Theory]
    [InlineData("""{"tree":"8ae196781ff50eb7c1c7d1f0b06c7e8c7da9e7e15852b8fc7b059d98077eb83a"}""", "'time'")]
    [InlineData("""{"time":"2015-11-10T22:09:48Z"}""", "'tree'")]
    [InlineData("""{"time":"noon","tree":"8ae196781ff50eb7c1c7d1f0b06c7e8c7da9e7e15852b8fc7b059d98077eb83a"}""", "invalid time")]
    [InlineData("""{"time":"2015-11-10T22:09:48Z","tree":"8ae1"}""", "hex ID")]
    [InlineData("""[1]""", "JSON object")]
    [InlineData("""{""", "invalid snapshot")]
    public void RejectsInvalidSnapshots(string json, string expected)
    {
        var e = Assert.Throws<IntegrityException>(() => Parse(json));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("snapshot 82aa14fa", e.Message);
    }
}
