using System.Buffers;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Writer;

/// <summary>
/// Turns a blob's plaintext into its stored form. In a v2 repository restic compresses tree blobs always and
/// data blobs unless compression is off; empty blobs stay uncompressed. Each blob gets its own IV.
/// </summary>
internal static class BlobEncoder
{
    /// <summary>The stored bytes in a pooled buffer (return it to <see cref="ArrayPool{T}.Shared"/>), their length and the uncompressed length (0: not compressed).</summary>
    public static (byte[] Buffer, int Length, uint UncompressedLength) Encode(MasterKey key, int repositoryVersion, ResticCompression compression,
        BlobType type, ReadOnlySpan<byte> plaintext)
    {
        var compress = repositoryVersion >= 2 && plaintext.Length > 0 && (type == BlobType.Tree || compression != ResticCompression.Off);
        if (!compress)
        {
            var stored = ArrayPool<byte>.Shared.Rent(AuthenticatedEncryption.CiphertextLength(plaintext.Length));
            AuthenticatedEncryption.Encrypt(key, plaintext, stored);
            return (stored, AuthenticatedEncryption.CiphertextLength(plaintext.Length), 0);
        }
        var frame = ArrayPool<byte>.Shared.Rent(Zstd.CompressBound(plaintext.Length));
        try
        {
            var frameLength = Zstd.Compress(plaintext, frame, Zstd.Level(compression));
            var stored = ArrayPool<byte>.Shared.Rent(AuthenticatedEncryption.CiphertextLength(frameLength));
            AuthenticatedEncryption.Encrypt(key, frame.AsSpan(0, frameLength), stored);
            return (stored, AuthenticatedEncryption.CiphertextLength(frameLength), (uint)plaintext.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }
}
