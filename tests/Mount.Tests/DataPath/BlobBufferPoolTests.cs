using StashMount.Mount.DataPath;

namespace StashMount.Mount.Tests.DataPath;

public sealed class BlobBufferPoolTests
{
    [Theory]
    [InlineData(1, 64 << 10)]
    [InlineData(64 << 10, 64 << 10)]
    [InlineData((1 << 19) + 1, 3 << 18)]
    [InlineData((3 << 18) + 1, 2 << 20)]
    [InlineData((1 << 20) + 1, 2 << 20)]
    [InlineData((3 << 19) + 1, 2 << 20)]
    [InlineData((2 << 20) + 1, 4 << 20)]
    [InlineData(5 << 20, 6 << 20)]
    [InlineData(7_500_000, 8 << 20)]
    public void CapacitiesComeInAFewSizesPerPowerOfTwoAndInWholeHugePagesFromOneMebibyte(int length, int capacity) =>
        Assert.Equal(capacity, BlobBufferPool.CapacityFor(length));

    [Fact]
    public void WavesOfMixedSizesReuseTheirBlocks()
    {
        using var pool = new BlobBufferPool(64 << 20);
        var random = new Random(3);
        const int wave = 16;
        for (var round = 0; round < 30; round++)
        {
            // restic's chunks are 512 KiB to 8 MiB, about 1.5 MiB on average; ranges up to 2 MiB.
            var held = Enumerable.Range(0, wave).Select(_ => pool.Rent(random.Next(512 << 10, 5 << 19))).ToList();
            foreach (var buffer in held) buffer.Release();
        }

        Assert.Equal(0, pool.LiveBytes);
        Assert.True(pool.Allocations <= 2 * wave, $"{pool.Allocations} blocks mapped for {30 * wave} rents");
        Assert.True(pool.FreeBytes <= 64 << 20);
    }

    [Fact]
    public void FreeBlocksBeyondTheRetentionAreUnmapped()
    {
        using var pool = new BlobBufferPool(3 << 16);
        var held = Enumerable.Range(0, 4).Select(_ => pool.Rent(1 << 17)).ToList();
        foreach (var buffer in held) buffer.Release();

        Assert.Equal(1 << 17, pool.FreeBytes); // one 128 KiB block fits in 192 KiB, a second does not
    }

    [Fact]
    public void MegabyteBlobsShareHugePagesAndTheirMemoryServesOtherSizes()
    {
        using var pool = new BlobBufferPool(0);
        var random = new Random(5);
        for (var round = 0; round < 20; round++)
        {
            // A window of ~1.5 MiB blobs: resident about their bytes, not a 2 MiB page or more each.
            var sizes = Enumerable.Range(0, 16).Select(_ => random.Next(512 << 10, 3 << 20)).ToList();
            var held = sizes.Select(size => pool.Rent(size)).ToList();
            var bytes = sizes.Sum(size => (long)size);
            Assert.True(pool.ArenaResidentBytes <= bytes * 5 / 4 + (4 << 20), $"{pool.ArenaResidentBytes >> 10} KiB resident for {bytes >> 10} KiB of blobs");
            foreach (var buffer in held)
            {
                buffer.Writable.Fill(0x5A);
                Assert.Equal(0x5A, buffer.Data[^1]);
                buffer.Release();
            }
        }

        Assert.Equal(0, pool.LiveBytes);
        Assert.Equal(0, pool.ArenaResidentBytes); // nothing kept beyond the retention
    }

    [Fact]
    public void ABlobHeldAfterThePoolIsDisposedStaysReadable()
    {
        var pool = new BlobBufferPool(64 << 20);
        var buffer = pool.Rent(3 << 20);
        buffer.Writable.Fill(7);
        pool.Dispose();

        Assert.Equal(7, buffer.Data[(3 << 20) - 1]);
        buffer.Release();
    }

    [Fact]
    public async Task AnIdlePoolGivesItsFreeBlocksBack()
    {
        using var pool = new BlobBufferPool(64 << 20, TimeSpan.FromMilliseconds(50));
        pool.Rent(1 << 17).Release();
        pool.Rent(1 << 20).Release(); // from the huge-page arena
        Assert.Equal(1, pool.Allocations);

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (pool.FreeBytes > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Equal(0, pool.FreeBytes);
        Assert.Equal(0, pool.ArenaResidentBytes);
        Assert.Equal(0, pool.LiveBytes);
    }
}
