using StashMount.Mount.DataPath;
using StashMount.Repository;

namespace StashMount.Mount.Tests.DataPath;

public sealed class FileContentMapTests
{
    private static ObjectId Id(int n) => ObjectId.Hash(BitConverter.GetBytes(n));

    [Fact]
    public void FindsTheBlobHoldingEveryOffset()
    {
        long[] lengths = [100, 0, 50, 1, 200];
        var ids = Enumerable.Range(0, lengths.Length).Select(Id).ToArray();
        var map = FileContentMap.Build(ids, id => lengths[Array.IndexOf(ids, id)]);
        Assert.Equal(351, map.Length);
        Assert.Equal(0, map.IndexOf(0));
        Assert.Equal(0, map.IndexOf(99));
        Assert.Equal(2, map.IndexOf(100)); // the empty blob 1 holds no byte
        Assert.Equal(2, map.IndexOf(149));
        Assert.Equal(3, map.IndexOf(150));
        Assert.Equal(4, map.IndexOf(151));
        Assert.Equal(4, map.IndexOf(350));
        Assert.Equal(151, map.StartOf(4));
    }

    [Fact]
    public void RepeatedBlobsKeepTheirOwnOffsets()
    {
        var a = Id(1);
        var map = FileContentMap.Build([a, a, a], _ => 10);
        Assert.Equal(30, map.Length);
        Assert.Equal(2, map.IndexOf(25));
        Assert.Equal(20, map.StartOf(2));
    }

    [Fact]
    public void EmptyFileHasNoBlobs()
    {
        var map = FileContentMap.Build([], _ => 0);
        Assert.Equal(0, map.Length);
        Assert.Equal(0, map.BlobCount);
    }
}
