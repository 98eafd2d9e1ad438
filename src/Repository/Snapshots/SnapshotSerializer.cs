using StashMount.Repository.Json;

namespace StashMount.Repository.Snapshots;

/// <summary>A snapshot file's plaintext as restic's json.Marshal writes it (no trailing newline).</summary>
public static class SnapshotSerializer
{
    public static byte[] Serialize(NewSnapshot snapshot)
    {
        var json = new GoJsonWriter(512);
        json.StartObject();
        json.Name("time"u8);
        json.String(snapshot.Time.ToString());
        if (snapshot.Parent is { } parent) { json.Name("parent"u8); json.Id(parent); }
        json.Name("tree"u8);
        json.Id(snapshot.Tree);
        json.Name("paths"u8);
        StringArray(json, snapshot.Paths);
        if (snapshot.Hostname.Length > 0) { json.Name("hostname"u8); json.String(snapshot.Hostname); }
        if (snapshot.Username.Length > 0) { json.Name("username"u8); json.String(snapshot.Username); }
        if (snapshot.Uid != 0) { json.Name("uid"u8); json.Number((ulong)snapshot.Uid); }
        if (snapshot.Gid != 0) { json.Name("gid"u8); json.Number((ulong)snapshot.Gid); }
        if (snapshot.Excludes.Count > 0) { json.Name("excludes"u8); StringArray(json, snapshot.Excludes); }
        if (snapshot.Tags.Count > 0) { json.Name("tags"u8); StringArray(json, snapshot.Tags); }
        if (snapshot.Original is { } original) { json.Name("original"u8); json.Id(original); }
        json.EndObject();
        return json.ToArray();
    }

    private static void StringArray(GoJsonWriter json, IReadOnlyList<string> values)
    {
        json.StartArray();
        foreach (var value in values)
            json.String(value);
        json.EndArray();
    }
}
