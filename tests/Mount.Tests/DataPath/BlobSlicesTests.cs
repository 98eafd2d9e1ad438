using StashMount.Mount.DataPath;
using StashMount.Repository;

namespace StashMount.Mount.Tests.DataPath;

public sealed class BlobSlicesTests
{
    [Fact]
    public void SlicesCopyInOrderAndGiveTheirReferencesBack()
    {
        using var pool = new BlobBufferPool(0);
        var slices = new BlobSlices();
        var buffers = new List<BlobBuffer>();
        for (var b = 0; b < 6; b++) // more than the initial capacity
        {
            var buffer = pool.Rent(1000, ObjectId.Hash([(byte)b]));
            buffer.Writable.Fill((byte)(b + 1));
            buffer.TryAcquire(); // the test's own reference, to watch the slices' one go
            buffers.Add(buffer);
            slices.Add(buffer, 100 * b, 10 + b);
        }

        Assert.Equal(6, slices.Count);
        Assert.Equal(Enumerable.Range(0, 6).Sum(b => 10 + b), slices.Length);
        Assert.Equal(Enumerable.Repeat((byte)3, 12), slices[2].ToArray());
        var copy = new byte[slices.Length];
        Assert.Equal(copy.Length, slices.CopyTo(copy));
        Assert.Equal(Enumerable.Range(0, 6).SelectMany(b => Enumerable.Repeat((byte)(b + 1), 10 + b)), copy);

        slices.Release();
        Assert.Equal(0, slices.Count);
        Assert.Equal(6 * buffers[0].Capacity, pool.LiveBytes); // only the test's references are left
        foreach (var buffer in buffers) buffer.Release();
        Assert.Equal(0, pool.LiveBytes);
    }
}
