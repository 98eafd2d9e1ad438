using StashMount.Mount.DataPath;

namespace StashMount.Mount.Tests.DataPath;

public sealed unsafe class HugePageArenaTests
{
    private const int Huge = 2 << 20;

    [Fact]
    public void AllocationsTakeTheLowestFreeRunAndDoNotOverlap()
    {
        using var arena = new HugePageArena(64L << 20);
        var a = arena.TryAllocate(1 << 20, out var aBytes);
        var b = arena.TryAllocate(100_000, out var bBytes);
        var c = arena.TryAllocate(3 << 20, out _);

        Assert.Equal(1 << 20, aBytes);
        Assert.Equal(2 * HugePageArena.Granule, bBytes);
        Assert.True(b == a + aBytes && c == b + bBytes);
        new Span<byte>(a, aBytes).Fill(1);
        new Span<byte>(c, 3 << 20).Fill(3);
        Assert.True(new Span<byte>(b, bBytes).IndexOfAnyExcept((byte)0) < 0);

        arena.Free(a, aBytes);
        Assert.True(arena.TryAllocate(HugePageArena.Granule, out _) == a); // the hole first
        Assert.True(arena.TryAllocate(1 << 20, out _) > c); // too big for the rest of the hole
    }

    [Fact]
    public void PagesArePopulatedAsTheTopGrowsAndGivenBackFromTheTop()
    {
        using var arena = new HugePageArena(64L << 20);
        var low = arena.TryAllocate(Huge, out _);
        var high = arena.TryAllocate(5 << 20, out var highBytes);
        Assert.Equal(8L << 20, arena.PopulatedBytes);

        arena.Free(high, highBytes);
        arena.Trim(keepFree: 0, minimumExcess: 6 << 20);
        Assert.Equal(8L << 20, arena.PopulatedBytes); // 6 MiB free: not more than the minimum excess
        arena.Trim(keepFree: Huge);
        Assert.Equal(4L << 20, arena.PopulatedBytes); // 2 MiB in use, 2 MiB kept free

        arena.Trim(keepFree: 0);
        Assert.Equal(2L << 20, arena.PopulatedBytes);
        Assert.Equal(2L << 20, arena.AllocatedBytes);
        arena.Free(low, Huge);
    }

    [Fact]
    public void AFullArenaSaysSo()
    {
        using var arena = new HugePageArena(4L << 20);
        Assert.True(arena.TryAllocate(3 << 20, out _) != null);
        Assert.True(arena.TryAllocate(2 << 20, out _) == null);
    }
}
