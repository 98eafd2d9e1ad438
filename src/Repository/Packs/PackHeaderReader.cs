using StashMount.Backends;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;

namespace StashMount.Repository.Packs;

/// <summary>
/// Lists the blobs of a pack from its own header, without the index (for check, repair and writer tests).
/// Reads the pack's tail once; only a header of more than 15 entries needs a second read.
/// </summary>
public static class PackHeaderReader
{
    /// <param name="packSize">The pack file's size when known (from a listing); otherwise it is looked up.</param>
    public static async Task<List<PackedBlob>> ReadAsync(IBackend backend, MasterKey key, ObjectId packId, long? packSize = null, CancellationToken cancellationToken = default)
    {
        var handle = new FileHandle(FileType.Pack, packId.ToString());
        var size = packSize ?? (await backend.StatAsync(handle, cancellationToken).ConfigureAwait(false)).Size;
        if (size < PackFormat.MinPackSize)
            throw new IntegrityException($"pack {packId}: file of {size} bytes is too short to be a pack");

        var tail = new byte[(int)Math.Min(PackFormat.EagerReadSize, size)];
        await backend.ReadAsync(handle, size - tail.Length, tail, cancellationToken).ConfigureAwait(false);
        var headerLength = PackHeaderParser.ReadHeaderLength(tail, size, packId);
        var needed = headerLength + PackFormat.HeaderLengthSize;
        if (needed > tail.Length)
        {
            tail = new byte[needed];
            await backend.ReadAsync(handle, size - needed, tail, cancellationToken).ConfigureAwait(false);
        }
        var encrypted = tail.AsSpan(tail.Length - needed, headerLength);
        var header = AuthenticatedEncryption.Decrypt(key, encrypted, $"pack {packId} header");
        return PackHeaderParser.Parse(header, packId);
    }
}
