using System.Text.Json;
using StashMount.Repository.Trees;

namespace StashMount.Repository.Snapshots;

/// <summary>Decodes a snapshot file's JSON. Snapshots are small, so a DOM is kept for faithful output.</summary>
public static class SnapshotParser
{
    /// <param name="id">The snapshot's ID: the SHA-256 of the stored (encrypted) file, i.e. its file name.</param>
    public static Snapshot Parse(ObjectId id, ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
                throw new JsonException("data after the end of the document");
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new JsonException("a snapshot is a JSON object");
            var timeText = Required(root, "time").GetString() ?? throw new JsonException("time is null");
            var time = GoTimestamp.TryParse(System.Text.Encoding.UTF8.GetBytes(timeText), out var t) ? t
                : throw new JsonException($"invalid time '{timeText}'");
            return new Snapshot
            {
                Id = id,
                Time = time.ToDateTimeOffset(),
                TimeText = timeText,
                Timestamp = time,
                Tree = IdOf(Required(root, "tree")) ?? throw new JsonException("tree is null"),
                Paths = Strings(root, "paths"),
                Hostname = String(root, "hostname"),
                Username = String(root, "username"),
                Uid = root.TryGetProperty("uid", out var uid) && uid.ValueKind != JsonValueKind.Null ? uid.GetUInt32() : 0,
                Gid = root.TryGetProperty("gid", out var gid) && gid.ValueKind != JsonValueKind.Null ? gid.GetUInt32() : 0,
                Tags = Strings(root, "tags"),
                Excludes = Strings(root, "excludes"),
                Parent = root.TryGetProperty("parent", out var parent) ? IdOf(parent) : null,
                Original = root.TryGetProperty("original", out var original) ? IdOf(original) : null,
                ProgramVersion = root.TryGetProperty("program_version", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString() : null,
                Json = root.Clone(),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            throw new IntegrityException($"snapshot {id}: invalid snapshot: {e.Message}", e);
        }
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new JsonException($"no '{name}' member");

    private static ObjectId? IdOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => ObjectId.TryParse(value.GetString(), out var id) ? id : throw new JsonException($"'{value.GetString()}' is not a 64-digit hex ID"),
        _ => throw new JsonException($"an ID is a string, not {value.ValueKind}"),
    };

    private static string String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static IReadOnlyList<string> Strings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
            return [];
        var list = new string[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
            list[i++] = item.GetString() ?? "";
        return list;
    }
}
