using System.Text;
using StashMount.Repository.Trees;
using StashMount.TestSupport;

namespace StashMount.Repository.Tests.Trees;

public sealed class TreeParserTests
{
    private static Tree Parse(string json) => TreeParser.Parse(ObjectId.Hash(Encoding.UTF8.GetBytes(json)), Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ParsesEveryNodeField()
    {
        var tree = Parse("""
            {"nodes":[{"name":"a.txt","type":"file","mode":420,"mtime":"2026-11-22T01:22:46.726808978Z","atime":"2026-11-22T01:22:47Z","ctime":"2026-11-22T02:22:46.5+01:00","uid":1000,"gid":100,"user":"u","group":"g","inode":11837785,"device_id":65024,"size":12,"links":2,"extended_attributes":[{"name":"user.k","value":"dmFs"},{"name":"user.empty","value":null}],"content":["a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"],"generic_attributes":{"windows.file_attributes":32},"error":"partial","future":[1]},
             {"name":"cdev","type":"chardev","mode":69206436,"mtime":"2026-11-22T01:22:46Z","atime":"2026-11-22T01:22:46Z","ctime":"2026-11-22T01:22:46Z","uid":0,"gid":0,"device_id":65024,"links":1,"device":259,"content":null},
             {"name":"link","type":"symlink","mode":134218239,"mtime":"2026-11-22T01:22:46Z","atime":"2026-11-22T01:22:46Z","ctime":"2026-11-22T01:22:46Z","uid":0,"gid":0,"links":1,"linktarget":"a.txt","content":null},
             {"name":"raw","type":"symlink","mode":134218239,"mtime":"2026-11-22T01:22:46Z","atime":"2026-11-22T01:22:46Z","ctime":"2026-11-22T01:22:46Z","uid":0,"gid":0,"linktarget":"\ufffd","linktarget_raw":"/w==","content":null},
             {"name":"sub","type":"dir","mode":2147484141,"mtime":"2026-11-22T01:22:46Z","atime":"2026-11-22T01:22:46Z","ctime":"2026-11-22T01:22:46Z","uid":0,"gid":0,"content":null,"subtree":"ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8"}],
             "unknown_top_level":{"a":1}}

            """);
        Assert.Equal(5, tree.Nodes.Count);
        var file = tree.Nodes[0];
        Assert.Equal("a.txt", file.Name);
        Assert.Null(file.RawName);
        Assert.Equal(NodeType.File, file.Type);
        Assert.Equal(420u, file.Mode);
        Assert.Equal(0x81A4u, file.PosixMode);
        Assert.Equal("2026-11-22T01:22:46.726808978Z", file.ModTime.ToString());
        Assert.Equal("2026-11-22T01:22:47Z", file.AccessTime.ToString());
        Assert.Equal("2026-11-22T02:22:46.5+01:00", file.ChangeTime.ToString());
        Assert.Equal((1000u, 100u, "u", "g"), (file.Uid, file.Gid, file.User, file.Group));
        Assert.Equal((11837785ul, 65024ul, 12ul, 2ul), (file.Inode, file.DeviceId, file.Size, file.Links));
        Assert.Equal([ObjectId.Parse("a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447")], file.Content);
        Assert.Equal(2, file.ExtendedAttributes.Count);
        Assert.Equal(("user.k", "val"), (file.ExtendedAttributes[0].Name, Encoding.UTF8.GetString(file.ExtendedAttributes[0].Value)));
        Assert.Empty(file.ExtendedAttributes[1].Value);
        Assert.Equal("partial", file.Error);
        Assert.NotNull(file.Unknown);
        Assert.Equal(32, file.Unknown!["generic_attributes"].GetProperty("windows.file_attributes").GetInt32());
        Assert.Equal(1, file.Unknown["future"][0].GetInt32());

        var cdev = tree.Nodes[1];
        Assert.Equal((NodeType.CharDev, 259ul, 1ul), (cdev.Type, cdev.Device, cdev.Links));
        Assert.Empty(cdev.Content);
        Assert.Null(cdev.Unknown);

        Assert.Equal("a.txt", tree.Nodes[2].LinkTarget);
        Assert.Equal("a.txt"u8.ToArray(), tree.Nodes[2].GetLinkTargetBytes());
        Assert.Equal([0xff], tree.Nodes[3].GetLinkTargetBytes());

        var dir = tree.Nodes[4];
        Assert.Equal(NodeType.Dir, dir.Type);
        Assert.Equal(ObjectId.Parse("ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8"), dir.Subtree);
        Assert.Equal(0x41EDu, dir.PosixMode);
    }

    [Fact]
    public void DecodesGoQuotedNamesFromRestic()
    {
        const string id = "90cf804ea5fd816b938c0ff8b94d95512cc943ed033b00a80e133b4bf992efae";
        var json = File.ReadAllBytes(Path.Combine(RepositoryPaths.Fixtures, $"tree-escaping-{id}.json"));
        Assert.Equal(ObjectId.Parse(id), ObjectId.Hash(json));
        var tree = TreeParser.Parse(ObjectId.Parse(id), json);
        var names = tree.Nodes.Select(n => Convert.ToHexStringLower(n.GetNameBytes())).ToArray();
        string[] expected =
        [
            "6126623c633e", "6261636b5c736c617368", "63746c017f", "656d6f6a69f09f9880", "696e76fffe75746638",
            "6c696e65e280a8736570", "6c6e6b", "71756f227465", "74616209686572 65".Replace(" ", ""), "c3a42dc3bcc3b1e282ac",
        ];
        Assert.Equal(expected, names);
        Assert.Equal("inv\ufffd\ufffdutf8", tree.Nodes[4].Name);
        Assert.NotNull(tree.Nodes[4].RawName);
        Assert.Null(tree.Nodes[0].RawName);
        Assert.Equal("tar\u0001get&<>", tree.Nodes[6].LinkTarget);
        Assert.Equal(60, tree.Nodes[0].ModTime.OffsetMinutes);
    }

    [Fact]
    public void AcceptsEmptyAndNullNodeLists()
    {
        Assert.Empty(Parse("{\"nodes\":[]}\n").Nodes);
        Assert.Empty(Parse("{\"nodes\":null}").Nodes);
        Assert.Empty(Parse("{}").Nodes);
    }

    [Fact]
    public void UnknownNodeTypeShowsAsIrregular() =>
        Assert.Equal(NodeType.Irregular, Parse("""{"nodes":[{"name":"x","type":"hologram","content":null}]}""").Nodes[0].Type);

    [Theory]
    [InlineData("""{"nodes":[{"type":"file"}]}""", "no name")]
    [InlineData("""{"nodes":[{"name":"x","mtime":"yesterday"}]}""", "invalid time")]
    [InlineData("""{"nodes":[{"name":"x","content":["abc"]}]}""", "hex ID")]
    [InlineData("""{"nodes":[{"name":"x","uid":-1}]}""", "out of range")]
    [InlineData("""{"nodes":[{"name":"x","extended_attributes":[{"name":"a","value":"!!"}]}]}""", "base64")]
    [InlineData("""{"nodes":[""", "invalid tree")]
    [InlineData("""[]""", "expected an object")]
    public void RejectsInvalidTrees(string json, string expected)
    {
        var e = Assert.Throws<IntegrityException>(() => Parse(json));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("tree ", e.Message);
    }
}
