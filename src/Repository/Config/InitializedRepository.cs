using StashMount.Repository.Crypto;

namespace StashMount.Repository.Config;

/// <summary>What <see cref="RepositoryInitializer"/> created.</summary>
public sealed record InitializedRepository(RepositoryConfig Config, MasterKey MasterKey, string KeyId);
