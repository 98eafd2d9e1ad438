using System.Security.Cryptography;
using StashMount.Repository.Archiver;
using StashMount.TestSupport;

namespace StashMount.Repository.Tests.Archiver;

public sealed class FileContentStreamTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0, true)]
    [InlineData(1000, true)]
    [InlineData(FileContentStream.BlockSize, true)] // ends on a block boundary
    [InlineData(2 * FileContentStream.BlockSize + 4096, true)] // ends on a page boundary after a full block
    [InlineData(5 * FileContentStream.BlockSize / 2 + 12_345, true)]
    [InlineData(5 * FileContentStream.BlockSize / 2 + 12_345, false)]
    public async Task ReadsTheWholeFileInAnyReadSizes(int size, bool direct)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        var path = _dir.Combine("file");
        await File.WriteAllBytesAsync(path, content);
        using var handle = File.OpenHandle(path);
        await using var stream = new FileContentStream(handle, path, direct);

        var read = new MemoryStream();
        var buffer = new byte[300_001];
        for (var step = 1; ; step = step * 7 % buffer.Length + 1)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, step));
            if (n == 0)
                break;
            read.Write(buffer, 0, n);
        }

        Assert.True(read.ToArray().AsSpan().SequenceEqual(content));
    }

    [Fact]
    public async Task BytesAppendedAfterTheLastDirectBlockAreRead()
    {
        var path = _dir.Combine("growing");
        var first = RandomNumberGenerator.GetBytes(FileContentStream.BlockSize + 100);
        await File.WriteAllBytesAsync(path, first);
        using var handle = File.OpenHandle(path);
        await using var stream = new FileContentStream(handle, path, direct: true);
        var buffer = new byte[FileContentStream.BlockSize];
        var total = 0;
        while (total < first.Length)
            total += await stream.ReadAsync(buffer);

        var more = RandomNumberGenerator.GetBytes(5000);
        await using (var append = new FileStream(path, FileMode.Append))
            await append.WriteAsync(more);

        var tail = new MemoryStream();
        for (int n; (n = await stream.ReadAsync(buffer)) > 0;)
            tail.Write(buffer, 0, n);
        Assert.True(tail.ToArray().AsSpan().SequenceEqual(more));
    }
}
