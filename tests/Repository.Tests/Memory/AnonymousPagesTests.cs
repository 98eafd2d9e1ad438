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

    [Fact]
    public void HugePageMemoryComesInWholePages() =>
        Assert.Throws<ArgumentException>(() => { AnonymousPages.AllocateHuge(AnonymousPages.HugePageSize + 4096); });
}
