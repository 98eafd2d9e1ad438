using StashMount.Mount.Restore;
using Xunit;

namespace StashMount.Mount.Tests.Restore;

public sealed class RangeBufferPoolTests
{
    [Theory]
    [InlineData(0L, 4096)]
    [InlineData(12345L, 300_000)]
    [InlineData(4095L, 1 << 20)]
    [InlineData(8191L, 1 << 20)]
    public unsafe void RangeLinesUpWithItsOffsetForDirectReads(long offset, int length)
    {
        using var pool = new RangeBufferPool(1 << 20);
        var buffer = pool.TryRent(offset, length, out var destination);
        Assert.NotNull(buffer);
        Assert.Equal(length, destination.Length);
        using (var pin = destination.Pin())
            Assert.Equal(offset % 4096, (long)pin.Pointer % 4096);
        destination.Span.Fill(0xAB); // the whole range is writable
        pool.Return(buffer);
    }

    [Fact]
    public void ReturnedBufferIsReused()
    {
        using var pool = new RangeBufferPool(1 << 20);
        var first = pool.TryRent(0, 1000, out _);
        pool.Return(first!);
        Assert.Same(first, pool.TryRent(100, 5000, out _));
    }

    [Fact]
    public void LongerRangeGetsNoBuffer()
    {
        using var pool = new RangeBufferPool(1 << 20);
        Assert.Null(pool.TryRent(0, (1 << 20) + 1, out var destination));
        Assert.True(destination.IsEmpty);
    }

    [Fact]
    public unsafe void RangeLongerThanTheBuffersGetsALargeOneUpToItsCapacity()
    {
        using var pool = new RangeBufferPool(1 << 20, 3 << 20);
        var large = pool.TryRent(5000, 2 << 20, out var destination);
        Assert.NotNull(large);
        using (var pin = destination.Pin())
            Assert.Equal(5000 % 4096, (long)pin.Pointer % 4096);
        destination.Span.Fill(0xCD);
        Assert.Null(pool.TryRent(0, (3 << 20) + 1, out _));
        pool.Return(large);
        // Each size goes back to its own kind.
        var small = pool.TryRent(0, 1000, out _);
        Assert.NotSame(large, small);
        Assert.Same(large, pool.TryRent(0, (1 << 20) + 1, out _));
    }
}
