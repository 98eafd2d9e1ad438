namespace StashMount.Repository.Tests.Memory;

public sealed unsafe class AnonymousPagesTests
{
    [Fact]
    public void HugePageMemoryIsAlignedZeroedAndWritable()
    {
        const int length = 2 * AnonymousPages.HugePageSize;
        var pointer = AnonymousPages.AllocateHuge(length);
        try
        {
            Assert.Equal(0UL, (ulong)pointer % AnonymousPages.HugePageSize);
            var memory = new Span<byte>(pointer, length);
            Assert.True(memory.IndexOfAnyExcept((byte)0) < 0);
            memory.Fill(0xA5);
            Assert.Equal(0xA5, memory[^1]);
        }
        finally
        {
            AnonymousPages.Free(pointer, length);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3 * AnonymousPages.HugePageSize)]
    public void PartlyPopulatedPageBufferIsZeroedAndWritableThroughout(int populated)
    {
        const int capacity = 3 * AnonymousPages.HugePageSize;
        using var buffer = new PageBuffer(capacity, populated);
        var memory = buffer.GetSpan();
        Assert.Equal(capacity, memory.Length);
        Assert.True(memory.IndexOfAnyExcept((byte)0) < 0);
        memory.Fill(0x5A);
        Assert.True(memory.IndexOfAnyExcept((byte)0x5A) < 0);
    }

    [Fact]
    public void HugePageMemoryComesInWholePages() =>
        Assert.Throws<ArgumentException>(() => { AnonymousPages.AllocateHuge(AnonymousPages.HugePageSize + 4096); });
}
