using System.Text.Json;
using System.Text.Json.Serialization;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Keys;

/// <summary>The master key JSON inside a key file's "data": {"mac":{"k":…,"r":…},"encrypt":…}, base64 values.</summary>
internal sealed class MasterKeyDocument
{
    public sealed class MacPart
    {
        [JsonPropertyName("k")] public byte[] K { get; set; } = [];
        [JsonPropertyName("r")] public byte[] R { get; set; } = [];
    }

    [JsonPropertyName("mac")] public MacPart Mac { get; set; } = new();
    [JsonPropertyName("encrypt")] public byte[] Encrypt { get; set; } = [];

    public static byte[] Serialize(MasterKey key) => JsonSerializer.SerializeToUtf8Bytes(new MasterKeyDocument
    {
        Mac = new MacPart { K = key.MacK, R = key.MacR },
        Encrypt = key.EncryptionKey,
    }, KeyJsonContext.Default.MasterKeyDocument);

    /// <summary>Parses the decrypted JSON; null when it is not a well-formed, valid master key.</summary>
    public static MasterKey? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            var doc = JsonSerializer.Deserialize(json, KeyJsonContext.Default.MasterKeyDocument);
            if (doc is null || doc.Encrypt.Length != 32 || doc.Mac.K.Length != 16 || doc.Mac.R.Length != 16)
                return null;
            var key = new MasterKey(doc.Encrypt, doc.Mac.K, doc.Mac.R);
            return key.IsValid ? key : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
