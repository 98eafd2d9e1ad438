using StashMount.Repository.Crypto;
using StashMount.Repository.Index;

namespace StashMount.Repository.Blobs;

/// <summary>Turns a blob's stored bytes (as read from its pack) into verified plaintext.</summary>
public static class BlobDecoder
{
    /// <summary>
    /// Checks the MAC, decrypts, decompresses when the blob is compressed and checks the plaintext's SHA-256
    /// against the blob ID. <paramref name="destination"/> must hold <see cref="PackedBlob.PlaintextLength"/> bytes.
    /// Throws <see cref="IntegrityException"/> naming the blob and its pack on any mismatch.
    /// </summary>
    public static void Decode(MasterKey key, in PackedBlob blob, ReadOnlySpan<byte> stored, Span<byte> destination)
        => throw new NotImplementedException();
}
