using System.Text;
using StashMount.Repository.Index;
using StashMount.Repository.Snapshots;
using StashMount.Repository.Trees;

namespace StashMount.Repository.Tests.Serialization;

public sealed class IndexAndSnapshotSerializerTests
{
    private static readonly ObjectId A = ObjectId.Hash("a"u8);
    private static readonly ObjectId B = ObjectId.Hash("b"u8);
    private static readonly ObjectId P = ObjectId.Hash("p"u8);

    [Fact]
    public void IndexFileIsResticsJsonWithNewline()
    {
        IReadOnlyList<PackedBlob> blobs = [new PackedBlob(A, BlobType.Data, P, 0, 150, 0), new PackedBlob(B, BlobType.Tree, P, 150, 410, 811)];
        var text = Encoding.UTF8.GetString(IndexFileSerializer.Serialize([new(P, blobs)]));
        Assert.Equal($"{{\"packs\":[{{\"id\":\"{P}\",\"blobs\":[{{\"id\":\"{A}\",\"type\":\"data\",\"offset\":0,\"length\":150}},"
            + $"{{\"id\":\"{B}\",\"type\":\"tree\",\"offset\":150,\"length\":410,\"uncompressed_length\":811}}]}}]}}\n", text);
        var parsed = IndexFileParser.Parse(Encoding.UTF8.GetBytes(text), "test");
        Assert.NotNull(parsed);
    }

    [Fact]
    public void SnapshotMatchesTheFixtureLayout()
    {
        var tree = ObjectId.Parse("8ae196781ff50eb7c1c7d1f0b06c7e8c7da9e7e15852b8fc7b059d98077eb83a");
        var snapshot = new NewSnapshot
        {
            Time = GoTimestamp.Parse("2026-11-22T01:26:31.769119761Z"),
            Tree = tree,
            Paths = ["/tmp/fx/src"],
            Hostname = "fixture",
            Username = "root",
            Tags = ["fx"],
        };
        Assert.Equal("{\"time\":\"2026-11-22T01:26:31.769119761Z\",\"tree\":\"8ae196781ff50eb7c1c7d1f0b06c7e8c7da9e7e15852b8fc7b059d98077eb83a\",\"paths\":[\"/tmp/fx/src\"],\"hostname\":\"fixture\",\"username\":\"root\",\"tags\":[\"fx\"]}",
            Encoding.UTF8.GetString(SnapshotSerializer.Serialize(snapshot)));
    }

    [Fact]
    public void SnapshotWritesOptionalFieldsInStructOrder()
    {
        var snapshot = new NewSnapshot
        {
            Time = new GoTimestamp(0, 0, 0),
            Parent = A,
            Tree = B,
            Paths = ["/a", "/b"],
            Uid = 1000,
            Gid = 100,
            Excludes = ["*.tmp"],
        };
        Assert.Equal($"{{\"time\":\"1970-01-01T00:00:00Z\",\"parent\":\"{A}\",\"tree\":\"{B}\",\"paths\":[\"/a\",\"/b\"],\"uid\":1000,\"gid\":100,\"excludes\":[\"*.tmp\"]}}",
            Encoding.UTF8.GetString(SnapshotSerializer.Serialize(snapshot)));
    }
}
