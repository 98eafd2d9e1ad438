using StashMount.Mount.Restore;
using StashMount.Repository;
using StashMount.Repository.Index;

namespace StashMount.Mount.Tests.Restore;

public sealed class PackRangeTests
{
    private static ObjectId Id(byte b)
    {
        var bytes = new byte[32];
        bytes[0] = b;
        return new ObjectId(bytes);
    }

    private static PackedBlob Blob(byte id, byte pack, uint offset, uint length) => new(Id(id), BlobType.Data, Id(pack), offset, length, 0);

    [Fact]
    public void AdjacentBlobsOfAPackAreOneRead()
    {
        var ranges = PackRange.Plan([Blob(3, 1, 100, 50), Blob(1, 1, 0, 100), Blob(2, 2, 0, 10), Blob(4, 1, 150, 50)], maxGap: 0);
        Assert.Equal(2, ranges.Count);
        var first = Assert.Single(ranges, r => r.PackId == Id(1));
        Assert.Equal(0, first.Offset);
        Assert.Equal(200, first.Length);
        Assert.Equal([Id(1), Id(3), Id(4)], first.Blobs.Select(b => b.Id));
    }

    [Fact]
    public void GapsAndSizeLimitSplitRuns()
    {
        var ranges = PackRange.Plan([Blob(1, 1, 0, 100), Blob(2, 1, 1000, 100), Blob(3, 1, 1100, 100)], maxGap: 500, maxLength: 150);
        Assert.Equal(3, ranges.Count);
        var joined = PackRange.Plan([Blob(1, 1, 0, 100), Blob(2, 1, 300, 100)], maxGap: 500);
        Assert.Equal(400, Assert.Single(joined).Length);
    }

    [Fact]
    public void DuplicateBlobsAreReadOnce()
    {
        var range = Assert.Single(PackRange.Plan([Blob(1, 1, 0, 100), Blob(1, 1, 0, 100)]));
        Assert.Single(range.Blobs);
    }

    [Fact]
    public void PacksComeInTheOrderTheyAreFirstNeeded()
    {
        var ranges = PackRange.Plan([Blob(1, 9, 500, 10), Blob(2, 3, 0, 10), Blob(3, 9, 0, 10), Blob(4, 5, 0, 10)], maxGap: 0);
        Assert.Equal([Id(9), Id(9), Id(3), Id(5)], ranges.Select(r => r.PackId));
        Assert.Equal([Id(3)], ranges[0].Blobs.Select(b => b.Id));
        Assert.Equal([Id(1)], ranges[1].Blobs.Select(b => b.Id));
    }
}
