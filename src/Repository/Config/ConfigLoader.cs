using StashMount.Backends;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Config;

/// <summary>Reads and decrypts the config file. It is never compressed, in any format version.</summary>
public static class ConfigLoader
{
    public static async Task<RepositoryConfig> LoadAsync(IBackend backend, MasterKey key, CancellationToken cancellationToken = default)
    {
        byte[] stored;
        try
        {
            stored = await backend.ReadAllAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendFileNotFoundException)
        {
            throw new RepositoryNotFoundException(backend.Location);
        }
        var plaintext = AuthenticatedEncryption.Decrypt(key, stored, "config");
        return ConfigFile.Parse(plaintext);
    }

    public static async Task SaveAsync(IBackend backend, MasterKey key, RepositoryConfig config, CancellationToken cancellationToken = default)
    {
        var stored = AuthenticatedEncryption.Encrypt(key, ConfigFile.Serialize(config));
        await backend.SaveAsync(FileHandle.Config, stored, cancellationToken).ConfigureAwait(false);
    }
}
