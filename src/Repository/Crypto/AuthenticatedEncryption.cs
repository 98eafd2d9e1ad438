using System.Security.Cryptography;

namespace StashMount.Repository.Crypto;

/// <summary>
/// restic's encrypt-then-MAC framing: IV (16) || AES-256-CTR ciphertext || Poly1305-AES tag over the
/// ciphertext with the IV as nonce. The tag is checked (in constant time) before anything is decrypted.
/// </summary>
public static class AuthenticatedEncryption
{
    /// <summary>The stored size of <paramref name="plaintextLength"/> bytes.</summary>
    public static int CiphertextLength(int plaintextLength) => plaintextLength + CryptoConstants.Overhead;

    /// <summary>The plaintext size of <paramref name="storedLength"/> stored bytes (negative when too short).</summary>
    public static int PlaintextLength(int storedLength) => storedLength - CryptoConstants.Overhead;

    /// <summary>Encrypts with a fresh random IV into <paramref name="destination"/>, which must hold plaintext + 32 bytes.</summary>
    public static void Encrypt(MasterKey key, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (destination.Length < CiphertextLength(plaintext.Length))
            throw new ArgumentException("the destination is too small for the ciphertext", nameof(destination));
        var iv = destination[..CryptoConstants.IvSize];
        var ciphertext = destination.Slice(CryptoConstants.IvSize, plaintext.Length);
        var tag = destination.Slice(CryptoConstants.IvSize + plaintext.Length, CryptoConstants.MacSize);
        do RandomNumberGenerator.Fill(iv);
        while (iv.IndexOfAnyExcept((byte)0) < 0); // restic treats an all-zero IV as invalid
        AesCtr.Transform(key.EncryptionCipher, iv, plaintext, ciphertext);
        Poly1305Aes.ComputeTag(key.MacCipher, key.MacR, iv, ciphertext, tag);
    }

    public static byte[] Encrypt(MasterKey key, ReadOnlySpan<byte> plaintext)
    {
        var stored = new byte[CiphertextLength(plaintext.Length)];
        Encrypt(key, plaintext, stored);
        return stored;
    }

    /// <summary>Whether the stored bytes' tag matches (checked in constant time); decrypts nothing.</summary>
    public static bool Verify(MasterKey key, ReadOnlySpan<byte> stored)
    {
        var length = PlaintextLength(stored.Length);
        if (length < 0)
            return false;
        Span<byte> expected = stackalloc byte[CryptoConstants.MacSize];
        Poly1305Aes.ComputeTag(key.MacCipher, key.MacR, stored[..CryptoConstants.IvSize], stored.Slice(CryptoConstants.IvSize, length), expected);
        return CryptographicOperations.FixedTimeEquals(expected, stored[^CryptoConstants.MacSize..]);
    }

    /// <summary>
    /// Verifies and decrypts into <paramref name="plaintext"/> (exactly stored − 32 bytes). Returns false, writing
    /// nothing, when the MAC does not match (wrong key or damaged data) or the input is too short.
    /// </summary>
    public static bool TryDecrypt(MasterKey key, ReadOnlySpan<byte> stored, Span<byte> plaintext)
    {
        var length = PlaintextLength(stored.Length);
        if (length < 0)
            return false;
        if (plaintext.Length != length)
            throw new ArgumentException($"the plaintext buffer must hold exactly {length} bytes", nameof(plaintext));
        var iv = stored[..CryptoConstants.IvSize];
        var ciphertext = stored.Slice(CryptoConstants.IvSize, length);
        var tag = stored[^CryptoConstants.MacSize..];
        Span<byte> expected = stackalloc byte[CryptoConstants.MacSize];
        Poly1305Aes.ComputeTag(key.MacCipher, key.MacR, iv, ciphertext, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, tag))
            return false;
        AesCtr.Transform(key.EncryptionCipher, iv, ciphertext, plaintext);
        return true;
    }

    /// <summary>
    /// Verifies and decrypts; throws <see cref="IntegrityException"/> naming <paramref name="description"/>
    /// (e.g. "index/1234…" or "data blob ab12… in pack cd34…") when the data is damaged.
    /// </summary>
    public static void Decrypt(MasterKey key, ReadOnlySpan<byte> stored, Span<byte> plaintext, string description)
    {
        if (stored.Length < CryptoConstants.Overhead)
            throw new IntegrityException($"{description}: {stored.Length} bytes is too short to be encrypted data");
        if (!TryDecrypt(key, stored, plaintext))
            throw new IntegrityException($"{description}: ciphertext verification failed (MAC mismatch)");
    }

    public static byte[] Decrypt(MasterKey key, ReadOnlySpan<byte> stored, string description)
    {
        if (stored.Length < CryptoConstants.Overhead)
            throw new IntegrityException($"{description}: {stored.Length} bytes is too short to be encrypted data");
        var plaintext = new byte[PlaintextLength(stored.Length)];
        Decrypt(key, stored, plaintext, description);
        return plaintext;
    }
}
