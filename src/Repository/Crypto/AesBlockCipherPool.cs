using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace StashMount.Repository.Crypto;

/// <summary>
/// Reusable AES instances for one key. Creating an <see cref="Aes"/> and scheduling its key costs more than
/// encrypting a small blob, and an instance must not be used by two threads at once, so each key keeps a
/// small pool.
/// </summary>
internal sealed class AesBlockCipherPool
{
    private const int MaxPooled = 16;
    private readonly byte[] _key;
    private readonly ConcurrentBag<Aes> _pool = [];

    public AesBlockCipherPool(byte[] key)
    {
        _key = key;
    }

    /// <summary>The raw key, for ciphers that schedule it themselves (OpenSSL's CTR mode).</summary>
    public ReadOnlySpan<byte> Key => _key;

    public Aes Rent()
    {
        if (_pool.TryTake(out var aes))
            return aes;
        aes = Aes.Create();
        aes.Key = _key;
        return aes;
    }

    public void Return(Aes aes)
    {
        if (_pool.Count < MaxPooled)
            _pool.Add(aes);
        else
            aes.Dispose();
    }
}
