using System.Buffers;
using StashMount.Backends;
using StashMount.Repository;
using StashMount.Repository.Blobs;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;

namespace StashMount.Mount.Restore;

/// <summary>
/// Reads one <see cref="PackRange"/> with a single backend request and hands each blob's verified plaintext to a
/// callback. Buffers are pooled; the plaintext is only valid during the callback.
/// </summary>
public static class PackRangeReader
{
    /// <summary>
    /// Calls <paramref name="onBlob"/> for every blob of the range, in pack order. A blob that fails to decode
    /// (MAC or hash mismatch) is retried from its other stored copies via the repository; if that fails too,
    /// <paramref name="onError"/> gets the blob and the error. A failed read of the range fails every blob.
    /// With <paramref name="buffers"/>, the range is read into one of them (directly from the disk where the backend can).
    /// With <paramref name="placement"/>, a blob for which it names a file offset (not -1) is decoded into one of its
    /// buffers at an address that lines up with that offset, so the plaintext can go to the disk directly from there.
    /// </summary>
    public static async Task ReadAsync(ResticRepository repository, PackRange range,
        Func<PackedBlob, ReadOnlyMemory<byte>, ValueTask> onBlob, Func<PackedBlob, Exception, ValueTask> onError, CancellationToken cancellationToken,
        RangeBufferPool? buffers = null, (RangeBufferPool Buffers, Func<PackedBlob, long> FileOffset)? placement = null)
    {
        Memory<byte> stored = default;
        var page = buffers?.TryRent(range.Offset, range.Length, out stored);
        var array = page is null ? ArrayPool<byte>.Shared.Rent(range.Length) : null;
        if (array is not null)
            stored = array.AsMemory(0, range.Length);
        try
        {
            try
            {
                await repository.Backend.ReadAsync(new FileHandle(FileType.Pack, range.PackId.ToString()), range.Offset, stored, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BackendException or IOException)
            {
                foreach (var blob in range.Blobs)
                    await DeliverFromOtherCopyAsync(repository, blob, e, onBlob, onError, cancellationToken).ConfigureAwait(false);
                return;
            }
            foreach (var blob in range.Blobs)
            {
                // The range buffer is this reader's own, so blobs are decoded over it: an uncompressed blob is
                // decrypted where it lies (no plaintext buffer), a compressed one's frame likewise before zstd.
                var storedBlob = stored.Slice((int)(blob.Offset - range.Offset), (int)blob.Length);
                var placed = Place(placement, blob, out var destination);
                var plaintext = placed is null && blob.IsCompressed ? ArrayPool<byte>.Shared.Rent((int)blob.PlaintextLength) : null;
                try
                {
                    if (placed is null)
                        destination = plaintext is null
                            ? storedBlob.Slice(CryptoConstants.IvSize, (int)Math.Min(blob.PlaintextLength, (uint)Math.Max(0, storedBlob.Length - CryptoConstants.IvSize)))
                            : plaintext.AsMemory(0, (int)blob.PlaintextLength);
                    bool decoded;
                    Exception? error = null;
                    try
                    {
                        BlobDecoder.DecodeInPlace(repository.Key, blob, storedBlob.Span, destination.Span);
                        decoded = true;
                    }
                    catch (RepositoryException e)
                    {
                        decoded = false;
                        error = e;
                    }
                    if (decoded)
                        await onBlob(blob, destination).ConfigureAwait(false);
                    else
                        await DeliverFromOtherCopyAsync(repository, blob, error!, onBlob, onError, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (plaintext is not null)
                        ArrayPool<byte>.Shared.Return(plaintext);
                    if (placed is not null)
                        placement!.Value.Buffers.Return(placed);
                }
            }
        }
        finally
        {
            if (page is not null)
                buffers!.Return(page);
            else
                ArrayPool<byte>.Shared.Return(array!);
        }
    }

    private static PageBuffer? Place((RangeBufferPool Buffers, Func<PackedBlob, long> FileOffset)? placement, PackedBlob blob, out Memory<byte> destination)
    {
        destination = default;
        if (placement is not { } place)
            return null;
        var offset = place.FileOffset(blob);
        return offset < 0 ? null : place.Buffers.TryRent(offset, (int)blob.PlaintextLength, out destination);
    }

    private static async Task DeliverFromOtherCopyAsync(ResticRepository repository, PackedBlob blob, Exception first,
        Func<PackedBlob, ReadOnlyMemory<byte>, ValueTask> onBlob, Func<PackedBlob, Exception, ValueTask> onError, CancellationToken cancellationToken)
    {
        if (repository.Index.GetAll(blob.Id, blob.Type).Count > 1)
        {
            byte[] data;
            try
            {
                data = await repository.LoadBlobAsync(blob.Id, blob.Type, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RepositoryException or BackendException or IOException)
            {
                await onError(blob, first).ConfigureAwait(false);
                return;
            }
            await onBlob(blob, data).ConfigureAwait(false);
            return;
        }
        await onError(blob, first).ConfigureAwait(false);
    }
}
