using System.Text.Json;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Keys;

/// <summary>Parses key files and unlocks the master key inside with a password.</summary>
public static class KeyFileCodec
{
    /// <summary>Parses a key file; throws <see cref="IntegrityException"/> naming it when it is not a usable restic key.</summary>
    public static KeyFile Parse(ReadOnlySpan<byte> json, string keyId)
    {
        KeyFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, KeyJsonContext.Default.KeyFile);
        }
        catch (JsonException e)
        {
            throw new IntegrityException($"key {keyId}: not a valid key file: {e.Message}", e);
        }
        if (file is null)
            throw new IntegrityException($"key {keyId}: not a valid key file");
        if (file.Kdf != KeyDerivation.ScryptName)
            throw new IntegrityException($"key {keyId}: unknown key derivation function \"{file.Kdf}\"");
        if (file.Salt.Length != KeyDerivation.SaltSize)
            throw new IntegrityException($"key {keyId}: salt has {file.Salt.Length} bytes, expected {KeyDerivation.SaltSize}");
        if (file.Data.Length < CryptoConstants.Overhead)
            throw new IntegrityException($"key {keyId}: encrypted master key is too short");
        return file;
    }

    /// <summary>The master key, or null when the password does not fit this key file.</summary>
    public static MasterKey? TryUnlock(KeyFile file, string password, string keyId)
    {
        var userKey = KeyDerivation.DeriveUserKey(password, file.Salt, file.N, file.R, file.P);
        var plaintext = new byte[AuthenticatedEncryption.PlaintextLength(file.Data.Length)];
        if (!AuthenticatedEncryption.TryDecrypt(userKey, file.Data, plaintext))
            return null;
        return MasterKeyDocument.TryParse(plaintext)
            ?? throw new IntegrityException($"key {keyId}: decrypted master key is malformed");
    }

    /// <summary>Builds the key file for <paramref name="masterKey"/> protected by <paramref name="password"/>; returns its JSON bytes.</summary>
    public static byte[] Create(MasterKey masterKey, string password, long n = KeyDerivation.DefaultN, int r = KeyDerivation.DefaultR, int p = KeyDerivation.DefaultP,
        string? username = null, string? hostname = null)
    {
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(KeyDerivation.SaltSize);
        var userKey = KeyDerivation.DeriveUserKey(password, salt, n, r, p);
        var file = new KeyFile
        {
            Created = DateTimeOffset.Now,
            Username = username ?? Environment.UserName,
            Hostname = hostname ?? Environment.MachineName,
            Kdf = KeyDerivation.ScryptName,
            N = n,
            R = r,
            P = p,
            Salt = salt,
            Data = AuthenticatedEncryption.Encrypt(userKey, MasterKeyDocument.Serialize(masterKey)),
        };
        return JsonSerializer.SerializeToUtf8Bytes(file, KeyJsonContext.Default.KeyFile);
    }
}
