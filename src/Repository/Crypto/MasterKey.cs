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

    public static MasterKey CreateRandom()
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        return new MasterKey(bytes[..32], bytes[32..48], bytes[48..64]);
    }
}
