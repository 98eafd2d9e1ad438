using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace StashMount.Repository.Crypto;

/// <summary>
/// AES-256 in counter mode as Go's cipher.NewCTR runs it: the 16-byte IV is the first counter block and is
/// incremented as one big-endian 128-bit number per block. .NET has no CTR mode, so keystream blocks are
/// made in batches with one ECB call over consecutive counter values.
/// </summary>
internal static class AesCtr
{
    private const int BlockSize = 16;
    private const int BatchBytes = 16 * 1024;

    /// <summary>XORs <paramref name="input"/> with the keystream into <paramref name="output"/> (same length; may be the same span).</summary>
    public static void Transform(AesBlockCipherPool cipher, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (iv.Length != BlockSize)
            throw new ArgumentException("the IV has 16 bytes", nameof(iv));
        if (output.Length < input.Length)
            throw new ArgumentException("the output is shorter than the input", nameof(output));
        if (input.IsEmpty)
            return;
        if (OpenSslPrimitives.HasAesCtr)
            OpenSslPrimitives.AesCtrTransform(cipher.Key, iv, input, output[..input.Length]);
        else
            TransformManaged(cipher, iv, input, output);
    }

    /// <summary>
    /// As <see cref="Transform"/> for the bytes that start <paramref name="position"/> bytes into the stream begun
    /// at <paramref name="iv"/>: CTR lets any part be decrypted on its own.
    /// </summary>
    public static void TransformAt(AesBlockCipherPool cipher, ReadOnlySpan<byte> iv, long position, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Span<byte> counter = stackalloc byte[BlockSize];
        BinaryPrimitives.WriteUInt128BigEndian(counter, unchecked(BinaryPrimitives.ReadUInt128BigEndian(iv) + (UInt128)(ulong)(position / BlockSize)));
        var skip = (int)(position % BlockSize);
        if (skip != 0 && !input.IsEmpty)
        {
            // The first block only in part: run the whole block through and keep its tail.
            var n = Math.Min(BlockSize - skip, input.Length);
            Span<byte> block = stackalloc byte[BlockSize];
            block.Clear();
            input[..n].CopyTo(block[skip..]);
            Transform(cipher, counter, block, block);
            block.Slice(skip, n).CopyTo(output);
            input = input[n..];
            output = output[n..];
            BinaryPrimitives.WriteUInt128BigEndian(counter, unchecked(BinaryPrimitives.ReadUInt128BigEndian(counter) + 1));
        }
        Transform(cipher, counter, input, output);
    }

    /// <summary>The managed keystream (used without libcrypto, and as the oracle in the tests).</summary>
    internal static void TransformManaged(AesBlockCipherPool cipher, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.IsEmpty)
            return;

        var counter = BinaryPrimitives.ReadUInt128BigEndian(iv);
        var batch = Math.Min(BatchBytes, (input.Length + BlockSize - 1) / BlockSize * BlockSize);
        var counters = ArrayPool<byte>.Shared.Rent(batch);
        var keystream = ArrayPool<byte>.Shared.Rent(batch);
        var aes = cipher.Rent();
        try
        {
            for (var done = 0; done < input.Length;)
            {
                var chunk = Math.Min(batch, input.Length - done);
                var blocks = (chunk + BlockSize - 1) / BlockSize;
                for (var b = 0; b < blocks; b++)
                {
                    BinaryPrimitives.WriteUInt128BigEndian(counters.AsSpan(b * BlockSize, BlockSize), counter);
                    counter = unchecked(counter + 1);
                }
                aes.EncryptEcb(counters.AsSpan(0, blocks * BlockSize), keystream.AsSpan(0, blocks * BlockSize), PaddingMode.None);
                Xor(input.Slice(done, chunk), keystream.AsSpan(0, chunk), output.Slice(done, chunk));
                done += chunk;
            }
        }
        finally
        {
            cipher.Return(aes);
            CryptographicOperations.ZeroMemory(keystream.AsSpan(0, batch));
            ArrayPool<byte>.Shared.Return(counters);
            ArrayPool<byte>.Shared.Return(keystream);
        }
    }

    private static void Xor(ReadOnlySpan<byte> data, ReadOnlySpan<byte> keystream, Span<byte> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= data.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                (new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..])).CopyTo(output[i..]);
        }
        for (; i < data.Length; i++)
            output[i] = (byte)(data[i] ^ keystream[i]);
    }
}
