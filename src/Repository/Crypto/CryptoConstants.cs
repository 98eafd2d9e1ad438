namespace StashMount.Repository.Crypto;

/// <summary>restic's ciphertext framing: IV (16) || AES-256-CTR ciphertext || Poly1305-AES MAC (16).</summary>
public static class CryptoConstants
{
    public const int IvSize = 16;
    public const int MacSize = 16;
    public const int Overhead = IvSize + MacSize;
}
