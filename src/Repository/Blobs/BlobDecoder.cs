using System.Buffers;
using System.Security.Cryptography;
using StashMount.Repository.Compression;
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
    {
        var plaintext = Check(blob, stored.Length, destination, out var description);
        if (!blob.IsCompressed)
        {
            AuthenticatedEncryption.Decrypt(key, stored, plaintext, description);
        }
        else
        {
            var frameLength = AuthenticatedEncryption.PlaintextLength(stored.Length);
            var frame = ArrayPool<byte>.Shared.Rent(frameLength);
            try
            {
                AuthenticatedEncryption.Decrypt(key, stored, frame.AsSpan(0, frameLength), description);
                Zstd.DecompressExact(frame.AsSpan(0, frameLength), plaintext, description);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
        }
        CheckHash(blob, plaintext, description);
    }

    /// <summary>
    /// As <see cref="Decode"/>, but a compressed blob's zstd frame may be decrypted over its own stored bytes (which
    /// the caller gives up: they may be overwritten, but are unchanged when the MAC fails), so no scratch buffer
    /// is needed: the mount's read path decodes into buffers it already owns and touches no fresh pages. An
    /// uncompressed blob may be decoded where it lies (<paramref name="destination"/> = stored bytes after the IV).
    /// </summary>
    public static void DecodeInPlace(MasterKey key, in PackedBlob blob, Span<byte> stored, Span<byte> destination)
    {
        var plaintext = Check(blob, stored.Length, destination, out var description);
        if (!blob.IsCompressed)
        {
            AuthenticatedEncryption.Decrypt(key, stored, plaintext, description);
        }
        else
        {
            if (!AuthenticatedEncryption.Verify(key, stored))
                throw new IntegrityException($"{description}: ciphertext verification failed (MAC mismatch)");
            var reader = new EncryptedFrame(key, stored);
            if (!TryDecodeRawFrame(ref reader, plaintext))
            {
                var frame = stored.Slice(CryptoConstants.IvSize, reader.Length);
                AesCtr.Transform(key.EncryptionCipher, stored[..CryptoConstants.IvSize], frame, frame);
                Zstd.DecompressExact(frame, plaintext, description);
            }
        }
        CheckHash(blob, plaintext, description);
    }

    [ThreadStatic]
    private static List<RawZstdFrame.Block>? t_blocks;

    /// <summary>
    /// A compressed blob whose zstd frame holds only raw (incompressible) or repeated-byte blocks, which is what
    /// zstd makes of random or already compressed data: its block bodies are decrypted straight into the
    /// plaintext, instead of decrypting the frame and having zstd copy them out (a pass over every byte saved).
    /// The caller checked the MAC first, as always. False, with only headers decrypted, for any other frame.
    /// </summary>
    private static bool TryDecodeRawFrame(ref EncryptedFrame reader, scoped Span<byte> plaintext)
    {
        var blocks = t_blocks ??= [];
        if (!RawZstdFrame.TryParse(reader.Length, plaintext.Length, ref reader, blocks))
            return false;
        var at = 0;
        foreach (var block in blocks)
        {
            var target = plaintext.Slice(at, block.Size);
            if (block.RepeatedByte >= 0)
                target.Fill((byte)block.RepeatedByte);
            else
                reader.Read(block.FrameOffset, target);
            at += block.Size;
        }
        return true;
    }

    /// <summary>The frame inside a blob's stored bytes, decrypted piece by piece where it is read.</summary>
    private readonly ref struct EncryptedFrame(MasterKey key, ReadOnlySpan<byte> stored) : RawZstdFrame.IFrameReader
    {
        private readonly ReadOnlySpan<byte> _iv = stored[..CryptoConstants.IvSize];
        private readonly ReadOnlySpan<byte> _ciphertext = stored.Slice(CryptoConstants.IvSize, AuthenticatedEncryption.PlaintextLength(stored.Length));

        public int Length => _ciphertext.Length;

        public void Read(int offset, scoped Span<byte> destination) =>
            AesCtr.TransformAt(key.EncryptionCipher, _iv, offset, _ciphertext.Slice(offset, destination.Length), destination);
    }

    private static Span<byte> Check(in PackedBlob blob, int storedLength, Span<byte> destination, out string description)
    {
        description = Describe(blob);
        if (storedLength != blob.Length)
            throw new IntegrityException($"{description}: read {storedLength} bytes, the index says {blob.Length}");
        if (blob.Length < CryptoConstants.Overhead)
            throw new IntegrityException($"{description}: {blob.Length} bytes is too short to be encrypted data");
        var plaintextLength = (int)blob.PlaintextLength;
        if (destination.Length < plaintextLength)
            throw new ArgumentException($"the destination must hold {plaintextLength} bytes", nameof(destination));
        return destination[..plaintextLength];
    }

    private static void CheckHash(in PackedBlob blob, ReadOnlySpan<byte> plaintext, string description)
    {
        Span<byte> hash = stackalloc byte[ObjectId.Size];
        SHA256.HashData(plaintext, hash);
        if (new ObjectId(hash) != blob.Id)
            throw new IntegrityException($"{description}: content does not match its ID (SHA-256 mismatch)");
    }

    /// <summary>"data blob 1a2b… in pack 3c4d…", the name used in every error about a blob.</summary>
    public static string Describe(in PackedBlob blob) =>
        $"{blob.Type.ToString().ToLowerInvariant()} blob {blob.Id} in pack {blob.PackId}";
}
