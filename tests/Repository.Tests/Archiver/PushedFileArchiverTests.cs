using StashMount.Backends.Local;
using StashMount.Repository.Archiver;
using StashMount.Repository.Config;
using StashMount.Repository.Writer;
using StashMount.TestSupport;

namespace StashMount.Repository.Tests.Archiver;

/// <summary>A file pushed in pieces of any size is cut where reading it cuts it: the same data blobs, in order.</summary>
public sealed class PushedFileArchiverTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0, 4096, true)]
    [InlineData(100, 4096, true)]
    [InlineData(512 * 1024, 1 << 20, true)] // exactly the minimum chunk size, in one piece
    [InlineData(3 * 1024 * 1024 + 17, 1 << 20, true)] // cp's pieces
    [InlineData(3 * 1024 * 1024 + 17, 65_537, true)]
    [InlineData(20 * 1024 * 1024 + 5, 3 << 20, true)] // pieces bigger than a read, chunks cut at the maximum size
    [InlineData(20 * 1024 * 1024 + 5, 9 << 20, true)] // a piece bigger than the biggest chunk
    [InlineData(20 * 1024 * 1024 + 5, 1 << 20, false)] // pushed faster than the cut search goes: bytes overflow the chunk being gathered
    [InlineData(20 * 1024 * 1024 + 5, 20 * 1024 * 1024 + 5, false)] // all at once
    public async Task PushedPiecesGiveTheBlobsReadingTheFileGives(int size, int piece, bool waitForRoom)
    {
        var content = Content(size, lowEntropyFrom: 12 * 1024 * 1024);
        var path = _dir.Combine("file");
        await File.WriteAllBytesAsync(path, content);
        var backend = new LocalBackend(_dir.Combine("repo"));
        backend.CreateLayout();
        await RepositoryInitializer.InitializeAsync(backend, ResticCli.Password);
        await using var repository = await ResticRepository.OpenAsync(backend, ResticCli.Password);
        await using var writer = new RepositoryWriter(repository);

        var (expected, _) = await new DirectoryArchiver(repository, writer).ReadFileAsync(path, size, CancellationToken.None);
        using var pushed = new PushedFileArchiver(repository, Task.FromResult(writer));
        for (var at = 0; at < size; at += piece)
        {
            pushed.Push(content.AsSpan(at, Math.Min(piece, size - at)));
            if (waitForRoom)
                await pushed.WaitForRoomAsync();
        }
        var blobs = await pushed.FinishAsync(CancellationToken.None);

        Assert.Equal(size, pushed.Size);
        Assert.Equal(expected, blobs);
        if (size > 12 * 1024 * 1024)
            Assert.True(blobs.Count < 12 + 6, "a maximum-size chunk was cut"); // 8 MiB of one byte value: one chunk
        Assert.All(blobs, id => Assert.True(writer.Has(id, BlobType.Data)));
        await writer.FlushAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5000)]
    [InlineData(128 * 1024)] // the largest blob stored on the finishing thread
    [InlineData(128 * 1024 + 1)]
    public async Task SmallFileStoredOnTheFinishingThreadReadsBackAndPassesResticCheck(int size)
    {
        var content = Content(size, lowEntropyFrom: size / 2); // half compressible
        var backend = new LocalBackend(_dir.Combine("repo"));
        backend.CreateLayout();
        await RepositoryInitializer.InitializeAsync(backend, ResticCli.Password);
        await using var repository = await ResticRepository.OpenAsync(backend, ResticCli.Password);
        ObjectId id;
        await using (var writer = new RepositoryWriter(repository))
        {
            using var pushed = new PushedFileArchiver(repository, Task.FromResult(writer));
            pushed.Push(content);
            var blobs = await pushed.FinishAsync(CancellationToken.None);
            id = Assert.Single(blobs);
            Assert.True(writer.Has(id, BlobType.Data));
            await writer.FlushAsync();
        }

        await using var reopened = await ResticRepository.OpenAsync(backend, ResticCli.Password);
        await reopened.LoadIndexAsync();
        Assert.Equal(content, await reopened.LoadBlobAsync(id, BlobType.Data));
        (await new ResticCli(_dir.Combine("repo")).RunAsync("check", "--read-data")).EnsureSuccess("restic check --read-data");
    }

    // Pseudo-random bytes, then one repeated byte, where restic's chunker finds no cut before the maximum size.
    private static byte[] Content(int size, int lowEntropyFrom)
    {
        var content = new byte[size];
        new Random(size).NextBytes(content.AsSpan(0, Math.Min(size, lowEntropyFrom)));
        if (size > lowEntropyFrom)
            content.AsSpan(lowEntropyFrom).Fill(0x5A);
        return content;
    }
}
