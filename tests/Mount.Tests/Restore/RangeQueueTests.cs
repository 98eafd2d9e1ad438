using StashMount.Mount.Restore;
using StashMount.Repository;
using StashMount.Repository.Index;

namespace StashMount.Mount.Tests.Restore;

public sealed class RangeQueueTests
{
    private static RangeDelivery Range(int blobs, byte pack)
    {
        var packId = new ObjectId(Enumerable.Repeat(pack, 32).ToArray());
        var list = Enumerable.Range(0, blobs)
            .Select(i => new PackedBlob(new ObjectId(BitConverter.GetBytes(i).Concat(new byte[28]).ToArray()), BlobType.Data, packId, (uint)i * 100, 100, 0))
            .ToList();
        return new RangeDelivery(new PackRange(packId, list), new Dictionary<ObjectId, BlobDelivery>());
    }

    [Fact]
    public async Task OneReaderAtATimeTakesSmallFileRangesWhileOthersWait()
    {
        var queue = new RangeQueue();
        var big1 = Range(2, 1);
        var big2 = Range(3, 2);
        var small1 = Range(RangeQueue.ManyBlobs, 3);
        var small2 = Range(RangeQueue.ManyBlobs + 5, 4);
        queue.Add(big1);
        queue.Add(small1);
        queue.Add(small2);
        queue.Add(big2);
        queue.Complete();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var taker = queue.TakeAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var taken = new List<RangeDelivery>();
        async Task<RangeDelivery> Next()
        {
            Assert.True(await taker.MoveNextAsync());
            taken.Add(taker.Current);
            return taker.Current;
        }
        Assert.Same(small1, await Next()); // no small range in progress: the small line first
        Assert.Same(big1, await Next()); // small1 still in progress: the others
        Assert.Same(big2, await Next());
        Assert.Same(small2, await Next()); // nothing else waits: a second small reader
        queue.Done(small1);
        Assert.False(await taker.MoveNextAsync());
        Assert.Equal(4, taken.Distinct().Count());
    }
}
