using System.Security.Cryptography;
using StashMount.Repository.Trees;

namespace StashMount.Repository.Tests.Serialization;

public sealed class TreeSerializerTests
{
    [Fact]
    public void ReproducesResticsTreeBytesAndId()
    {
        var path = Directory.GetFiles(TestSupport.RepositoryPaths.Fixtures, "tree-escaping-*.json").Single();
        var expectedId = ObjectId.Parse(Path.GetFileNameWithoutExtension(path)["tree-escaping-".Length..]);
        var stored = File.ReadAllBytes(path);
        var tree = TreeParser.Parse(expectedId, stored);

        // Shuffled input: the serializer sorts by raw name bytes as restic requires.
        var bytes = TreeSerializer.Serialize(tree.Nodes.Reverse());

        Assert.Equal(System.Text.Encoding.UTF8.GetString(stored), System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(expectedId, new ObjectId(SHA256.HashData(bytes)));
    }

    [Fact]
    public void EmptyTreeHasResticsWellKnownId()
    {
        var bytes = TreeSerializer.Serialize([]);
        Assert.Equal("{\"nodes\":[]}\n", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal("ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void WritesEachNodeKindWithResticsFields()
    {
        var t = new GoTimestamp(1700000000, 500_000_000, 60);
        var nodes = new[]
        {
            new Node { Name = "sub", Type = NodeType.Dir, Mode = 2147484141, ModTime = t, AccessTime = t, ChangeTime = t, Subtree = ObjectId.Hash([]) },
            new Node { Name = "cdev", Type = NodeType.CharDev, Mode = 69206436, ModTime = t, AccessTime = t, ChangeTime = t, DeviceId = 65024, Links = 1, Device = 259 },
            new Node { Name = "empty", Type = NodeType.File, Mode = 420, ModTime = t, AccessTime = t, ChangeTime = t, Links = 1 },
        };
        var text = System.Text.Encoding.UTF8.GetString(TreeSerializer.Serialize(nodes));
        const string time = "\"mtime\":\"2023-11-14T23:13:20.5+01:00\",\"atime\":\"2023-11-14T23:13:20.5+01:00\",\"ctime\":\"2023-11-14T23:13:20.5+01:00\",\"uid\":0,\"gid\":0";
        Assert.Equal("{\"nodes\":["
            + "{\"name\":\"cdev\",\"type\":\"chardev\",\"mode\":69206436," + time + ",\"device_id\":65024,\"links\":1,\"device\":259,\"content\":null},"
            + "{\"name\":\"empty\",\"type\":\"file\",\"mode\":420," + time + ",\"links\":1,\"content\":[]},"
            + "{\"name\":\"sub\",\"type\":\"dir\",\"mode\":2147484141," + time + ",\"content\":null,\"subtree\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}"
            + "]}\n", text);
    }

    [Fact]
    public void RejectsDuplicateNames()
    {
        var a = new Node { Name = "x", Type = NodeType.File };
        Assert.Throws<ArgumentException>(() => TreeSerializer.Serialize([a, a]));
    }
}
