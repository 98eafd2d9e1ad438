using System.Security.Cryptography;

namespace StashMount.Repository.Crypto;

/// <summary>
/// Poly1305-AES as restic uses it: the one-time key is r (clamped, restic stores it unclamped) and
/// s = AES-128(k, nonce), computed with .NET's hardware AES.
/// </summary>
internal static class Poly1305Aes
{
    public static void ComputeTag(AesBlockCipherPool macK, ReadOnlySpan<byte> macR, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        Span<byte> s = stackalloc byte[16];
        var aes = macK.Rent();
        try
        {
            aes.EncryptEcb(nonce, s, PaddingMode.None);
        }
        finally
        {
            macK.Return(aes);
        }
        if (OpenSslPrimitives.HasPoly1305)
            OpenSslPrimitives.Poly1305Tag(macR, s, message, tag);
        else
            Poly1305.ComputeTag(macR, s, message, tag);
        CryptographicOperations.ZeroMemory(s);
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
