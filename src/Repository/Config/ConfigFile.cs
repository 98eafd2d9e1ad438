using System.Globalization;
using System.Text.Json;
using StashMount.Repository.Chunker;

namespace StashMount.Repository.Config;

/// <summary>The config file's JSON: {"version":…,"id":…,"chunker_polynomial":"&lt;hex&gt;"}, field order as restic writes it.</summary>
public static class ConfigFile
{
    public const int MinVersion = 1;
    public const int MaxVersion = 2;

    public static RepositoryConfig Parse(ReadOnlySpan<byte> json)
    {
        int version;
        string id;
        string polynomialText;
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            version = root.GetProperty("version").GetInt32();
            id = root.GetProperty("id").GetString() ?? "";
            polynomialText = root.GetProperty("chunker_polynomial").GetString() ?? "";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new IntegrityException($"config: not a valid repository config: {e.Message}", e);
        }
        if (version is < MinVersion or > MaxVersion)
            throw new RepositoryException($"unsupported repository version {version} (supported: {MinVersion} and {MaxVersion})");
        if (id.Length == 0)
            throw new IntegrityException("config: repository ID is empty");
        if (!ulong.TryParse(polynomialText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var polynomial))
            throw new IntegrityException($"config: chunker polynomial \"{polynomialText}\" is not a hex number");
        if (!Polynomial.IsIrreducible(polynomial))
            throw new IntegrityException($"config: chunker polynomial {polynomialText} is not irreducible");
        return new RepositoryConfig(version, id, polynomial);
    }

    public static byte[] Serialize(RepositoryConfig config)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", config.Version);
            writer.WriteString("id", config.Id);
            writer.WriteString("chunker_polynomial", config.ChunkerPolynomial.ToString("x", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
