using System.Security.Cryptography;
using StashMount.Backends.Local;
using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Local;

public sealed class LocalBackendDirectReadTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0, 3 << 20)] // page-aligned both ends
    [InlineData(12_345, 1_000_000)] // unaligned head and tail around a direct middle
    [InlineData(4096 * 5 + 1, 300_000)]
    [InlineData(777, 100_000)] // too small for a direct read
    [InlineData((3 << 20) - 500_000, 500_000)] // up to the end of the file
    public async Task LargeReadsAtMatchingAlignmentReturnTheFileBytes(long offset, int length)
    {
        var (backend, handle, content) = await PackAsync(3 << 20);
        var memory = AlignedLike(offset, length);

        await backend.ReadAsync(handle, offset, memory);

        Assert.True(memory.Span.SequenceEqual(content.AsSpan((int)offset, length)));
        if (DirectRead.Open(_dir.Combine("data", "aa", handle.Name)) is { } probe)
        {
            probe.Dispose();
            Assert.True(backend.DirectReads, "the filesystem takes O_DIRECT, so the backend should keep using it");
        }
    }

    [Theory]
    [InlineData(5_000, 1_000_123 - 5_000)] // the last page only partly in the file
    [InlineData(4096, 1_000_000 - 4096)]
    public async Task ARangeUpToAnUnalignedEndOfFileIsReadWhole(long offset, int length)
    {
        var (backend, handle, content) = await PackAsync(1_000_123);
        var memory = AlignedLike(offset, length);

        await backend.ReadAsync(handle, offset, memory);

        Assert.True(memory.Span.SequenceEqual(content.AsSpan((int)offset, length)));
    }

    [Fact]
    public async Task ARangePastTheEndOfFileIsAnError()
    {
        var (backend, handle, _) = await PackAsync(1_000_123);
        var memory = AlignedLike(5_000, 1_000_000);

        await Assert.ThrowsAsync<BackendException>(() => backend.ReadAsync(handle, 5_000, memory));
    }

    [Fact]
    public async Task MisalignedMemoryReadsBuffered()
    {
        var (backend, handle, content) = await PackAsync(2 << 20);
        var memory = AlignedLike(4096 + 3, 1 << 20); // memory skewed for a different offset

        await backend.ReadAsync(handle, 4096, memory);

        Assert.True(memory.Span.SequenceEqual(content.AsSpan(4096, 1 << 20)));
    }

    [Fact]
    public void PlanCoversOnlyThePageAlignedMiddle()
    {
        var memory = AlignedLike(100, 1 << 20);
        DirectRead.Plan(100, memory, out var skip, out var length);
        Assert.Equal(4096 - 100, skip);
        Assert.Equal(((100 + (1 << 20)) & ~4095) - 4096, length);

        DirectRead.Plan(101, memory, out _, out var none);
        Assert.Equal(0, none);
    }

    private async Task<(LocalBackend, FileHandle, byte[])> PackAsync(int size)
    {
        var backend = new LocalBackend(_dir.Path);
        backend.CreateLayout();
        var content = RandomNumberGenerator.GetBytes(size);
        var handle = new FileHandle(FileType.Pack, new string('a', 64));
        await backend.SaveAsync(handle, content);
        return (backend, handle, content);
    }

    /// <summary>Memory whose address agrees with <paramref name="offset"/> modulo 4 KiB, as the mount's range buffers do.</summary>
    private static unsafe Memory<byte> AlignedLike(long offset, int length)
    {
        var array = GC.AllocateArray<byte>(length + 8192, pinned: true);
        fixed (byte* p = array)
        {
            var start = (int)(((offset - (long)p) % 4096 + 4096) % 4096);
            return array.AsMemory(start, length);
        }
    }
}
