using System.Buffers;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace StashMount.Repository.Crypto;

/// <summary>
/// Poly1305-AES as restic uses it: the one-time key is r (clamped here, restic stores it unclamped) and
/// s = AES-128(k, nonce). s is computed with .NET's hardware AES; the polynomial MAC itself is BouncyCastle's
/// Poly1305 (no nonce cipher), which only takes arrays, so the message is fed through a pooled buffer.
/// </summary>
internal static class Poly1305Aes
{
    private const int ChunkBytes = 16 * 1024;

    public static void ComputeTag(AesBlockCipherPool macK, ReadOnlySpan<byte> macR, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        var oneTimeKey = new byte[32];
        macR.CopyTo(oneTimeKey);
        Clamp(oneTimeKey.AsSpan(0, 16));
        var aes = macK.Rent();
        try
        {
            aes.EncryptEcb(nonce, oneTimeKey.AsSpan(16, 16), PaddingMode.None);
        }
        finally
        {
            macK.Return(aes);
        }

        var mac = new Org.BouncyCastle.Crypto.Macs.Poly1305();
        mac.Init(new KeyParameter(oneTimeKey));
        CryptographicOperations.ZeroMemory(oneTimeKey);
        var chunk = ArrayPool<byte>.Shared.Rent(Math.Min(ChunkBytes, Math.Max(message.Length, 1)));
        try
        {
            for (var done = 0; done < message.Length;)
            {
                var n = Math.Min(chunk.Length, message.Length - done);
                message.Slice(done, n).CopyTo(chunk);
                mac.BlockUpdate(chunk, 0, n);
                done += n;
            }
            var result = new byte[CryptoConstants.MacSize];
            mac.DoFinal(result, 0);
            result.CopyTo(tag);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Poly1305's clamp of r (RFC 8439 §2.5): clears the bits the algorithm requires to be zero.</summary>
    public static void Clamp(Span<byte> r)
    {
        r[3] &= 0x0f;
        r[7] &= 0x0f;
        r[11] &= 0x0f;
        r[15] &= 0x0f;
        r[4] &= 0xfc;
        r[8] &= 0xfc;
        r[12] &= 0xfc;
    }
}
