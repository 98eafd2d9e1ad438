using StashMount.Backends;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Keys;

/// <summary>Stores a new key file for a master key (at init, or to add a password); returns its ID.</summary>
public static class KeyFileWriter
{
    public static async Task<string> SaveAsync(IBackend backend, MasterKey masterKey, string password, long n = KeyDerivation.DefaultN,
        int r = KeyDerivation.DefaultR, int p = KeyDerivation.DefaultP, CancellationToken cancellationToken = default)
    {
        // scrypt is CPU-bound for a noticeable time; keep it off the caller's context.
        var json = await Task.Run(() => KeyFileCodec.Create(masterKey, password, n, r, p), cancellationToken).ConfigureAwait(false);
        var id = ObjectId.Hash(json).ToString();
        await backend.SaveAsync(new FileHandle(FileType.Key, id), json, cancellationToken).ConfigureAwait(false);
        return id;
    }
}
