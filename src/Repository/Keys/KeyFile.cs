using System.Text.Json.Serialization;

namespace StashMount.Repository.Keys;

/// <summary>
/// A key file (keys/&lt;id&gt;): plaintext JSON holding the scrypt parameters and the master key encrypted with
/// the key derived from the password. Property order is restic's, so files we write look like its own.
/// </summary>
public sealed class KeyFile
{
    [JsonPropertyName("created")] public DateTimeOffset Created { get; set; }
    [JsonPropertyName("username")] public string Username { get; set; } = "";
    [JsonPropertyName("hostname")] public string Hostname { get; set; } = "";
    [JsonPropertyName("kdf")] public string Kdf { get; set; } = "";
    [JsonPropertyName("N")] public long N { get; set; }
    [JsonPropertyName("r")] public int R { get; set; }
    [JsonPropertyName("p")] public int P { get; set; }
    [JsonPropertyName("salt")] public byte[] Salt { get; set; } = [];
    [JsonPropertyName("data")] public byte[] Data { get; set; } = [];
}
