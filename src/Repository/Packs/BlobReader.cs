using System.Buffers;
using StashMount.Backends;
using StashMount.Repository.Blobs;
using StashMount.Repository.Index;

namespace StashMount.Repository.Packs;

/// <summary>Reads one blob: a ranged read of exactly its bytes from its pack, then decrypt and verify.</summary>
internal static class BlobReader
{
    /// <summary>Tries every stored copy in turn; fails naming the blob and the packs tried.</summary>
    public static async Task<byte[]> ReadAsync(ResticRepository repository, ObjectId id, BlobType type, CancellationToken cancellationToken)
    {
        var copies = repository.Index.GetAll(id, type);
        if (copies.Count == 0)
            throw new BlobNotFoundException(id, type);
        var failures = new List<Exception>(copies.Count);
        foreach (var copy in copies)
        {
            try
            {
                return await ReadCopyAsync(repository, copy, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IntegrityException or BackendException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add(e is BackendException ? new BackendException($"{BlobDecoder.Describe(copy)}: {e.Message}", e) : e);
            }
        }
        var last = failures[^1];
        if (failures.Count == 1)
        {
            // Integrity messages already name the blob and its pack.
            if (last is IntegrityException) throw last;
            throw last.InnerException is TransientBackendException ? new TransientBackendException(last.Message, last.InnerException) : last;
        }
        var message = $"no copy of {type.ToString().ToLowerInvariant()} blob {id} is readable: {string.Join("; ", failures.Select(f => f.Message))}";
        throw failures.All(f => f is IntegrityException) ? new IntegrityException(message, last) : new BackendException(message, last);
    }

    /// <summary>Reads and decodes one copy.</summary>
    public static async Task<byte[]> ReadCopyAsync(ResticRepository repository, PackedBlob blob, CancellationToken cancellationToken)
    {
        if (blob.Length < Crypto.CryptoConstants.Overhead || blob.PlaintextLength > Array.MaxLength || blob.Length > Array.MaxLength)
            throw new IntegrityException($"{blob.Type.ToString().ToLowerInvariant()} blob {blob.Id} in pack {blob.PackId}: invalid length in index");
        var length = (int)blob.Length;
        var stored = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var pack = new FileHandle(FileType.Pack, blob.PackId.ToString());
            await repository.Backend.ReadAsync(pack, blob.Offset, stored.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            var plaintext = new byte[blob.PlaintextLength];
            BlobDecoder.Decode(repository.Key, blob, stored.AsSpan(0, length), plaintext);
            return plaintext;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
        }
    }
}
