namespace StashMount.Repository.Crypto;

/// <summary>
/// The repository's master key as stored (encrypted) in a key file: a 32-byte AES-256 key and a
/// Poly1305-AES MAC key made of a 16-byte AES key (k) and a 16-byte r.
/// </summary>
public sealed class MasterKey
{
    public MasterKey(byte[] encryptionKey, byte[] macK, byte[] macR)
    {
        if (encryptionKey.Length != 32 || macK.Length != 16 || macR.Length != 16)
            throw new ArgumentException("a master key has a 32-byte encryption key and a 16+16-byte MAC key");
        EncryptionKey = encryptionKey;
        MacK = macK;
        MacR = macR;
    }

    public byte[] EncryptionKey { get; }

    public byte[] MacK { get; }

    public byte[] MacR { get; }

    /// <summary>A key is unusable when any part is all zero (restic rejects such keys).</summary>
    public bool IsValid => !IsZero(EncryptionKey) && !IsZero(MacK) && !IsZero(MacR);

    internal AesBlockCipherPool EncryptionCipher => _encryptionCipher ??= new AesBlockCipherPool(EncryptionKey);

    internal AesBlockCipherPool MacCipher => _macCipher ??= new AesBlockCipherPool(MacK);

    private AesBlockCipherPool? _encryptionCipher;
    private AesBlockCipherPool? _macCipher;

    /// <summary>Splits 64 bytes (a scrypt output or a stored key) as restic does: 32 AES, 16 k, 16 r.</summary>
    public static MasterKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 64)
            throw new ArgumentException("a key has 64 bytes", nameof(bytes));
        return new MasterKey(bytes[..32].ToArray(), bytes[32..48].ToArray(), bytes[48..64].ToArray());
    }

    private static bool IsZero(byte[] bytes) => bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    public static MasterKey CreateRandom()
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        return new MasterKey(bytes[..32], bytes[32..48], bytes[48..64]);
    }
}
