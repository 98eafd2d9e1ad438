using System.Security.Cryptography;
using StashMount.Repository.Chunker;
using StashMount.Repository.Writer;

namespace StashMount.Repository.Archiver;

/// <summary>Reads one file, chunks it with the repository's chunker and hands every new chunk to the writer.</summary>
internal sealed class FileArchiver(ContentDefinedChunker chunker, RepositoryWriter writer)
{
    /// <summary>The file's data blob IDs in order and the number of bytes read.</summary>
    public async Task<(List<ObjectId> Content, long Size)> ArchiveAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0, // the chunker reads in large blocks itself
            Options = FileOptions.SequentialScan,
        });
        using var chunks = new StreamChunker(chunker, stream);
        var content = new List<ObjectId>();
        for (var chunk = await chunks.NextAsync(cancellationToken).ConfigureAwait(false); !chunk.IsEmpty;
             chunk = await chunks.NextAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = Hash(chunk.Span);
            await writer.SaveBlobAsync(BlobType.Data, id, chunk, cancellationToken).ConfigureAwait(false);
            content.Add(id);
        }
        return (content, chunks.BytesRead);
    }

    private static ObjectId Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[ObjectId.Size];
        SHA256.HashData(data, digest);
        return new ObjectId(digest);
    }
}
