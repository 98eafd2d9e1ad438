using System.Buffers;
using System.Security.Cryptography;
using StashMount.Repository.Chunker;
using StashMount.Repository.Writer;

namespace StashMount.Repository.Archiver;

/// <summary>
/// Reads one file, chunks it with the repository's chunker and hands every new chunk to the writer.
/// <paramref name="directReads"/>: files of a chunk or more bypass the page cache (<see cref="FileContentStream"/>);
/// off where the files were just written and may still sit dirty in the page cache (a direct read would first
/// wait for their write-back).
/// </summary>
internal sealed class FileArchiver(ContentDefinedChunker chunker, RepositoryWriter writer, bool directReads)
{
    /// <summary>The file's data blob IDs in order and the number of bytes read.</summary>
    public async Task<(List<ObjectId> Content, long Size)> ArchiveAsync(string path, long expectedSize, CancellationToken cancellationToken)
    {
        var isSmall = expectedSize < ContentDefinedChunker.MinSize;
        // Read-ahead advice (one fadvise call) only pays for files the chunker streams through buffered.
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            isSmall || directReads ? FileOptions.None : FileOptions.SequentialScan);
        if (isSmall)
        {
            var small = await TryArchiveSmallAsync(handle, expectedSize, cancellationToken).ConfigureAwait(false);
            if (small is { } result)
                return result;
        }
        await using var stream = new FileContentStream(handle, path, directReads && !isSmall);
        using var chunks = new StreamChunker(chunker, stream);
        var content = new List<ObjectId>();
        // Chunks are hashed and queued on pool tasks while this one reads and chunks on: the SHA-256 of a big
        // file would otherwise run on the same core as its chunking. The IDs are collected in file order.
        var pending = new Queue<Task<ObjectId>>();
        try
        {
            for (var chunk = await chunks.NextAsync(cancellationToken).ConfigureAwait(false); !chunk.IsEmpty;
                 chunk = await chunks.NextAsync(cancellationToken).ConfigureAwait(false))
            {
                if (pending.Count >= ChunksAhead)
                {
                    ObjectId id;
                    try
                    {
                        id = await pending.Dequeue().ConfigureAwait(false);
                    }
                    catch
                    {
                        chunk.Return();
                        throw;
                    }
                    content.Add(id);
                }
                pending.Enqueue(HashAndSaveAsync(chunk, cancellationToken));
            }
            while (pending.Count > 0)
                content.Add(await pending.Dequeue().ConfigureAwait(false));
        }
        finally
        {
            // On failure, let the chunks already handed out finish so their buffers go back to the pool.
            foreach (var task in pending)
                await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return (content, chunks.BytesRead);
    }

    private const int ChunksAhead = 4;

    /// <summary>Hashes the chunk and hands its buffer to the writer, which returns it to the pool.</summary>
    private Task<ObjectId> HashAndSaveAsync(PooledChunk chunk, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        ObjectId id;
        try
        {
            id = Hash(chunk.Span);
        }
        catch
        {
            chunk.Return();
            throw;
        }
        await writer.SaveOwnedBlobAsync(BlobType.Data, id, chunk.Buffer, chunk.Length, cancellationToken).ConfigureAwait(false);
        return id;
    }, CancellationToken.None);

    /// <summary>
    /// A file below the minimum chunk size is one blob: one read into a small pooled buffer instead of the
    /// chunker's look-ahead. Returns null when the file turned out bigger than stat said (then it is chunked).
    /// </summary>
    private async Task<(List<ObjectId>, long)?> TryArchiveSmallAsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long expectedSize, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)expectedSize + 1);
        try
        {
            var length = 0;
            while (length < buffer.Length)
            {
                // Synchronous on purpose: a small read finishes at once, and a thread-pool hop per file costs more than it.
                var n = RandomAccess.Read(handle, buffer.AsSpan(length), length);
                length += n;
                // A short read of a regular file is its end: no second read just to see 0.
                if (n == 0 || length < buffer.Length)
                    break;
            }
            if (length > expectedSize)
                return null;
            if (length == 0)
                return ([], 0);
            var data = buffer.AsMemory(0, length);
            var id = Hash(data.Span);
            await writer.SaveBlobAsync(BlobType.Data, id, data, cancellationToken).ConfigureAwait(false);
            return ([id], length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ObjectId Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[ObjectId.Size];
        SHA256.HashData(data, digest);
        return new ObjectId(digest);
    }
}
