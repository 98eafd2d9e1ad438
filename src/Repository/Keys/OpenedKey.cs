using StashMount.Repository.Crypto;

namespace StashMount.Repository.Keys;

/// <summary>The master key and the ID of the key file that opened it.</summary>
public sealed record OpenedKey(MasterKey MasterKey, string KeyId);
