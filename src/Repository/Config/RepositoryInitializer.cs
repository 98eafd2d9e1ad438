using System.Security.Cryptography;
using StashMount.Backends;
using StashMount.Repository.Chunker;
using StashMount.Repository.Crypto;
using StashMount.Repository.Keys;

namespace StashMount.Repository.Config;

/// <summary>
/// Creates a new repository's files: a key file for a fresh master key, then the config (as restic orders it).
/// Folders are the backend's business (e.g. LocalBackend.CreateLayout) and must exist before.
/// </summary>
public static class RepositoryInitializer
{
    public static async Task<InitializedRepository> InitializeAsync(IBackend backend, string password, int version = ConfigFile.MaxVersion,
        ulong? chunkerPolynomial = null, CancellationToken cancellationToken = default)
    {
        if (version is < ConfigFile.MinVersion or > ConfigFile.MaxVersion)
            throw new RepositoryException($"unsupported repository version {version} (supported: {ConfigFile.MinVersion} and {ConfigFile.MaxVersion})");
        if (string.IsNullOrEmpty(password))
            throw new RepositoryException("an empty password is not allowed");
        var polynomial = chunkerPolynomial ?? Polynomial.RandomIrreducible();
        if (!Polynomial.IsIrreducible(polynomial) || Polynomial.Degree(polynomial) != Polynomial.RandomDegree)
            throw new RepositoryException($"chunker polynomial {polynomial:x} is not an irreducible polynomial of degree {Polynomial.RandomDegree}");
        if (await backend.ExistsAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false))
            throw new RepositoryException($"config file already exists in {backend.Location}: a repository is already there");

        var config = new RepositoryConfig(version, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), polynomial);
        var masterKey = MasterKey.CreateRandom();
        var keyId = await KeyFileWriter.SaveAsync(backend, masterKey, password, cancellationToken: cancellationToken).ConfigureAwait(false);
        await ConfigLoader.SaveAsync(backend, masterKey, config, cancellationToken).ConfigureAwait(false);
        return new InitializedRepository(config, masterKey, keyId);
    }
}
