using StashMount.Mount.DataPath;
using StashMount.Repository;
using StashMount.Repository.Index;

namespace StashMount.Mount.Tests.DataPath;

public sealed class RangePlannerTests
{
    private static readonly ObjectId PackA = ObjectId.Hash("a"u8);
    private static readonly ObjectId PackB = ObjectId.Hash("b"u8);

    private static PackedBlob Blob(ObjectId pack, uint offset, uint length) =>
        new(ObjectId.Hash(BitConverter.GetBytes(offset ^ pack.GetHashCode())), BlobType.Data, pack, offset, length, 0);

    [Fact]
    public void NeighboursInOnePackShareOneRequest()
    {
        var ranges = RangePlanner.Plan([Blob(PackA, 1000, 100), Blob(PackA, 0, 1000), Blob(PackA, 1100, 50)], maxGap: 0, maxRequest: 1 << 20);
        var range = Assert.Single(ranges);
        Assert.Equal(0, range.Offset);
        Assert.Equal(1150, range.Length);
        Assert.Equal([0u, 1000u, 1100u], range.Blobs.Select(b => b.Offset));
    }

    [Fact]
    public void GapsAndPacksAndSizeLimitSplitRequests()
    {
        var ranges = RangePlanner.Plan(
            [Blob(PackA, 0, 100), Blob(PackA, 150, 100), Blob(PackA, 10_000, 100), Blob(PackB, 0, 100)], maxGap: 64, maxRequest: 1 << 20);
        Assert.Equal(3, ranges.Count);
        Assert.Equal(250, ranges.Single(r => r.PackId == PackA && r.Offset == 0).Length);

        var limited = RangePlanner.Plan([Blob(PackA, 0, 600), Blob(PackA, 600, 600), Blob(PackA, 1200, 600)], maxGap: 0, maxRequest: 1300);
        Assert.Equal(2, limited.Count);
    }
}
