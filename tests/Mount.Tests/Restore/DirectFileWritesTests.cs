using StashMount.Mount.Restore;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Restore;

public sealed class DirectFileWritesTests
{
    [Fact]
    public async Task BlobsAtUnalignedOffsetsWrittenAtOnceGiveTheSameFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("file");
        var expected = new byte[9 * 1024 * 1024 + 333];
        new Random(7).NextBytes(expected);
        // Blob edges fall inside pages, one blob is longer than a bounce buffer (1 MiB here), one too short to go direct.
        int[] cuts = [0, 1_000_001, 1_100_000, 4_500_123, 4_600_000, expected.Length];
        using var writes = new DirectFileWrites(new RangeBufferPool(1 << 20), 1 << 20);
        var fd = PosixFileCalls.OpenForWrite(path, create: true);
        Assert.True(fd >= 0);
        Assert.Equal(0, PosixFileCalls.Truncate(fd, expected.Length));
        var directFd = writes.OpenDirect(path);
        try
        {
            // In reverse and in parallel, as readers deliver them.
            var results = await Task.WhenAll(Enumerable.Range(0, cuts.Length - 1).Reverse().Select(i => Task.Run(() =>
                writes.Write(fd, directFd, expected.AsSpan(cuts[i], cuts[i + 1] - cuts[i]), cuts[i]))));
            Assert.All(results, errno => Assert.Equal(0, errno));
        }
        finally
        {
            if (directFd >= 0)
                PosixFileCalls.Close(directFd);
            PosixFileCalls.Close(fd);
        }
        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task BlobThatLinesUpWithItsOffsetIsWrittenFromWhereItIs()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("file");
        var expected = new byte[3 * 1024 * 1024 + 777];
        new Random(9).NextBytes(expected);
        const int cut = 1_234_567;
        using var placed = new RangeBufferPool(4 << 20);
        using var writes = new DirectFileWrites(new RangeBufferPool(1 << 20), 1 << 20);
        var fd = PosixFileCalls.OpenForWrite(path, create: true);
        Assert.True(fd >= 0);
        Assert.Equal(0, PosixFileCalls.Preallocate(fd, expected.Length));
        var directFd = writes.OpenDirect(path);
        try
        {
            foreach (var (offset, length) in new[] { (cut, expected.Length - cut), (0, cut) })
            {
                var buffer = placed.TryRent(offset, length, out var memory)!;
                expected.AsSpan(offset, length).CopyTo(memory.Span);
                Assert.Equal(0, writes.Write(fd, directFd, memory.Span, offset));
                placed.Return(buffer);
            }
        }
        finally
        {
            if (directFd >= 0)
                PosixFileCalls.Close(directFd);
            PosixFileCalls.Close(fd);
        }
        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
    }

    [Theory]
    [InlineData(0L, 300_000, true)]
    [InlineData(1L, 266_000, false)] // its aligned middle is under 256 KiB
    [InlineData(4095L, 2 << 20, true)]
    [InlineData(0L, 4096, false)]
    public void OnlyBlobsWithALargeAlignedMiddleGoDirect(long offset, int length, bool direct)
    {
        using var writes = new DirectFileWrites(new RangeBufferPool(1 << 20), 1 << 20);
        Assert.Equal(direct, writes.Qualifies(offset, length));
    }
}
