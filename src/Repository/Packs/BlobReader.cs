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
        Exception? failure = null;
        foreach (var copy in copies)
        {
            try
            {
                return await ReadCopyAsync(repository, copy, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IntegrityException or BackendException && !cancellationToken.IsCancellationRequested)
            {
                failure = e;
            }
        }
        var what = $"{type.ToString().ToLowerInvariant()} blob {id}";
        var where = copies.Count == 1 ? $"pack {copies[0].PackId}" : $"any of {copies.Count} packs ({string.Join(", ", copies.Select(c => c.PackId.ToShortString()))})";
        var message = $"cannot read {what} from {where}: {failure!.Message}";
        throw failure switch
        {
            IntegrityException => new IntegrityException(message, failure),
            TransientBackendException => new TransientBackendException(message, failure),
            _ => new BackendException(message, failure),
        };
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
