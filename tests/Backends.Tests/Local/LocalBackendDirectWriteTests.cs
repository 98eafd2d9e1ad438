using System.Security.Cryptography;
using StashMount.Backends.Local;
using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Local;

public sealed class LocalBackendDirectWriteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0, 3 << 20)] // page-aligned memory and length: all direct
    [InlineData(0, (1 << 20) + 1234)] // direct head, buffered tail
    [InlineData(0, 100_000)] // too small for a direct write
    [InlineData(5, 1 << 20)] // memory off a page boundary: buffered
    public async Task SavedFilesHoldExactlyTheContent(int skew, int length)
    {
        var backend = new LocalBackend(_dir.Path);
        backend.CreateLayout();
        var memory = PageAligned(skew, length);
        RandomNumberGenerator.Fill(memory.Span);
        var handle = new FileHandle(FileType.Pack, new string('b', 64));

        await backend.SaveAsync(handle, memory);

        var saved = await File.ReadAllBytesAsync(_dir.Combine("data", "bb", handle.Name));
        Assert.True(saved.AsSpan().SequenceEqual(memory.Span));
        Assert.Equal(skew == 0 && length >= DirectWrite.MinimumBytes ? length & ~4095 : 0, DirectWrite.AlignedLength(memory));
        Assert.Single(Directory.GetFiles(_dir.Combine("data", "bb"))); // no temporary file left behind
    }

    /// <summary>Memory starting <paramref name="skew"/> bytes after a page boundary, as the writer's pack buffers do at 0.</summary>
    private static unsafe Memory<byte> PageAligned(int skew, int length)
    {
        var array = GC.AllocateArray<byte>(length + 8192, pinned: true);
        fixed (byte* p = array)
        {
            var start = (int)((4096 - (long)p % 4096) % 4096) + skew;
            return array.AsMemory(start, length);
        }
    }
}
