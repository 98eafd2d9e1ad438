using System.Text.Json;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Commands;

/// <summary>
/// Writes a snapshot as restic's --json output does: the stored snapshot document's members (so fields written
/// by newer restic versions or by Stash pass through unchanged), then "id" and "short_id".
/// </summary>
internal static class SnapshotJson
{
    public static void Write(Utf8JsonWriter writer, Snapshot snapshot, string? structType = null)
    {
        writer.WriteStartObject();
        if (snapshot.Json.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in snapshot.Json.EnumerateObject())
                if (member.Name is not ("id" or "short_id"))
                    member.WriteTo(writer);
        }
        else
        {
            WriteFields(writer, snapshot);
        }
        writer.WriteString("id", snapshot.Id.ToString());
        writer.WriteString("short_id", snapshot.ShortId);
        if (structType != null)
            writer.WriteString("struct_type", structType);
        writer.WriteEndObject();
    }

    // Used only when the loader kept no document: the fields in restic's order, empty ones left out as Go's omitempty does.
    private static void WriteFields(Utf8JsonWriter writer, Snapshot snapshot)
    {
        writer.WriteString("time", snapshot.TimeText);
        if (snapshot.Parent is { } parent) writer.WriteString("parent", parent.ToString());
        writer.WriteString("tree", snapshot.Tree.ToString());
        WriteStrings(writer, "paths", snapshot.Paths, always: true);
        if (snapshot.Hostname.Length > 0) writer.WriteString("hostname", snapshot.Hostname);
        if (snapshot.Username.Length > 0) writer.WriteString("username", snapshot.Username);
        if (snapshot.Uid != 0) writer.WriteNumber("uid", snapshot.Uid);
        if (snapshot.Gid != 0) writer.WriteNumber("gid", snapshot.Gid);
        WriteStrings(writer, "excludes", snapshot.Excludes, always: false);
        WriteStrings(writer, "tags", snapshot.Tags, always: false);
        if (snapshot.Original is { } original) writer.WriteString("original", original.ToString());
        if (!string.IsNullOrEmpty(snapshot.ProgramVersion)) writer.WriteString("program_version", snapshot.ProgramVersion);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values, bool always)
    {
        if (values.Count == 0 && !always)
            return;
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }
}
