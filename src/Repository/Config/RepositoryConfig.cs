namespace StashMount.Repository.Config;

/// <summary>The decrypted config file: format version (1 or 2), repository ID and the chunker polynomial.</summary>
public sealed record RepositoryConfig(int Version, string Id, ulong ChunkerPolynomial);
