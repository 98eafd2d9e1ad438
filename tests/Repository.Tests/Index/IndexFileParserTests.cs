using System.Text;
using StashMount.Repository.Index;

namespace StashMount.Repository.Tests.Index;

public sealed class IndexFileParserTests
{
    private const string Pack1 = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string Pack2 = "2222222222222222222222222222222222222222222222222222222222222222";
    private const string BlobA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string BlobB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string BlobC = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    private static IndexFile Parse(string json) => IndexFileParser.Parse(Encoding.UTF8.GetBytes(json), "index/test");

    [Fact]
    public void ParsesCurrentFormat()
    {
        var file = Parse($$"""
            {"packs":[{"id":"{{Pack1}}","blobs":[
              {"id":"{{BlobA}}","type":"data","offset":150,"length":22257,"uncompressed_length":535447},
              {"id":"{{BlobB}}","type":"tree","offset":0,"length":150}]},
             {"id":"{{Pack2}}","blobs":[{"id":"{{BlobC}}","type":"data","offset":0,"length":40}]}]}

            """);
        Assert.False(file.IsLegacyFormat);
        Assert.Empty(file.Supersedes);
        Assert.Equal(3, file.Blobs.Count);
        Assert.Equal(new PackedBlob(ObjectId.Parse(BlobA), BlobType.Data, ObjectId.Parse(Pack1), 150, 22257, 535447), file.Blobs[0]);
        Assert.Equal(new PackedBlob(ObjectId.Parse(BlobB), BlobType.Tree, ObjectId.Parse(Pack1), 0, 150, 0), file.Blobs[1]);
        Assert.Equal(ObjectId.Parse(Pack2), file.Blobs[2].PackId);
        Assert.Equal(8u, file.Blobs[2].PlaintextLength);
        Assert.Equal(535447u, file.Blobs[0].PlaintextLength);
    }

    [Fact]
    public void ParsesSupersedesAndSkipsUnknownMembers()
    {
        var file = Parse($$"""
            {"future":{"x":[1,2,{"y":null}]},"supersedes":["{{Pack1}}","{{Pack2}}"],
             "packs":[{"extra":true,"id":"{{Pack1}}","blobs":[{"id":"{{BlobA}}","type":"data","offset":0,"length":32,"more":"x"}]}]}
            """);
        Assert.Equal([ObjectId.Parse(Pack1), ObjectId.Parse(Pack2)], file.Supersedes);
        Assert.Single(file.Blobs);
        Assert.Equal(0u, file.Blobs[0].PlaintextLength);
    }

    [Fact]
    public void ParsesLegacyArrayFormat()
    {
        var file = Parse($$"""[{"id":"{{Pack1}}","blobs":[{"id":"{{BlobA}}","type":"tree","offset":10,"length":100}]}]""");
        Assert.True(file.IsLegacyFormat);
        Assert.Equal(new PackedBlob(ObjectId.Parse(BlobA), BlobType.Tree, ObjectId.Parse(Pack1), 10, 100, 0), Assert.Single(file.Blobs));
    }

    [Fact]
    public void PackIdMayFollowItsBlobs()
    {
        var file = Parse($$"""{"packs":[{"blobs":[{"offset":5,"length":50,"type":"data","id":"{{BlobA}}"}],"id":"{{Pack2}}"}]}""");
        Assert.Equal(ObjectId.Parse(Pack2), Assert.Single(file.Blobs).PackId);
    }

    [Fact]
    public void AcceptsNullAndEmptyLists()
    {
        Assert.Empty(Parse("""{"packs":null}""").Blobs);
        Assert.Empty(Parse("""{"packs":[]}""").Blobs);
        Assert.Empty(Parse("""{}""").Blobs);
        Assert.Empty(Parse($$"""{"packs":[{"id":"{{Pack1}}","blobs":null}]}""").Blobs);
    }

    [Theory]
    [InlineData("""{"packs":[{"id":"zz","blobs":[]}]}""", "hex ID")]
    [InlineData("""{"packs":[{"blobs":[]}]}""", "no id")]
    [InlineData("""{"packs":[{"id":"1111111111111111111111111111111111111111111111111111111111111111","blobs":[{"id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","type":"blob","offset":0,"length":40}]}]}""", "unknown blob type")]
    [InlineData("""{"packs":[{"id":"1111111111111111111111111111111111111111111111111111111111111111","blobs":[{"id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","type":"data","offset":-1,"length":40}]}]}""", "out of range")]
    [InlineData("""{"packs":[{"id":"1111111111111111111111111111111111111111111111111111111111111111","blobs":[{"id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","type":"data","offset":0,"length":3}]}]}""", "invalid length")]
    [InlineData("""{"packs":[""", "index/test")]
    [InlineData("""{} {}""", "invalid index")]
    [InlineData("""42""", "expected an object")]
    public void RejectsInvalidIndexesWithOneLineMessage(string json, string expected)
    {
        var e = Assert.Throws<IntegrityException>(() => Parse(json));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("index/test: invalid index", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
