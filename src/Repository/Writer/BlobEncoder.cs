using System.Buffers;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Writer;

/// <summary>
/// Turns a blob's plaintext into its stored form. In a v2 repository restic compresses tree blobs always and
/// data blobs unless compression is off; empty blobs stay uncompressed. A data blob whose samples do not
/// compress (already compressed or encrypted content) is stored uncompressed under "auto", as a v2 repository
/// allows for any blob: zstd would spend a core on it only to emit raw blocks. Each blob gets its own IV.
/// </summary>
internal static class BlobEncoder
{
    /// <summary>
    /// The bytes to encrypt: the plaintext itself (<paramref name="frame"/> null, returns 0) or a zstd frame in
    /// <paramref name="frame"/>, rented from <see cref="ArrayPool{T}.Shared"/> (return it), of the returned
    /// length. <paramref name="uncompressedLength"/> is 0 for an uncompressed blob.
    /// </summary>
    public static int Compress(int repositoryVersion, ResticCompression compression, BlobType type, ReadOnlySpan<byte> plaintext,
        out byte[]? frame, out uint uncompressedLength)
    {
        frame = null;
        uncompressedLength = 0;
        var compress = repositoryVersion >= 2 && plaintext.Length > 0 && (type == BlobType.Tree || compression != ResticCompression.Off);
        if (!compress || (type == BlobType.Data && compression == ResticCompression.Auto && IncompressibilityProbe.LooksIncompressible(plaintext)))
            return 0;
        frame = ArrayPool<byte>.Shared.Rent(Zstd.CompressBound(plaintext.Length));
        try
        {
            var length = Zstd.Compress(plaintext, frame, Zstd.Level(compression));
            uncompressedLength = (uint)plaintext.Length;
            return length;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(frame);
            frame = null;
            throw;
        }
    }

    /// <summary>The stored bytes in a pooled buffer (return it to <see cref="ArrayPool{T}.Shared"/>), their length and the uncompressed length (0: not compressed).</summary>
    public static (byte[] Buffer, int Length, uint UncompressedLength) Encode(MasterKey key, int repositoryVersion, ResticCompression compression,
        BlobType type, ReadOnlySpan<byte> plaintext)
    {
        var frameLength = Compress(repositoryVersion, compression, type, plaintext, out var frame, out var uncompressedLength);
        try
        {
            var source = frame is null ? plaintext : frame.AsSpan(0, frameLength);
            var stored = ArrayPool<byte>.Shared.Rent(AuthenticatedEncryption.CiphertextLength(source.Length));
            AuthenticatedEncryption.Encrypt(key, source, stored);
            return (stored, AuthenticatedEncryption.CiphertextLength(source.Length), uncompressedLength);
        }
        finally
        {
            if (frame is not null)
                ArrayPool<byte>.Shared.Return(frame);
        }
    }
}
