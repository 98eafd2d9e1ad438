using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using StashMount.Repository.Json;

namespace StashMount.Repository.Trees;

/// <summary>
/// Decodes a tree blob ({"nodes":[…]}) in one forward pass. Every node field restic writes is modelled;
/// members this version does not know are kept as <see cref="JsonElement"/>s in <see cref="Node.Unknown"/>,
/// unknown top-level members are ignored (as restic does).
/// </summary>
public static class TreeParser
{
    public static Tree Parse(ObjectId id, ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            JsonReading.ReadStart(ref reader, JsonTokenType.StartObject);
            List<Node>? nodes = null;
            while (JsonReading.NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("nodes"u8))
                {
                    if (!JsonReading.ReadArrayOrNull(ref reader))
                        continue;
                    nodes = [];
                    while (JsonReading.NextElement(ref reader))
                        nodes.Add(ReadNode(ref reader));
                }
                else
                {
                    JsonReading.SkipValue(ref reader);
                }
            }
            if (reader.Read())
                throw new JsonException("data after the end of the document");
            return new Tree(id, nodes ?? []);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new IntegrityException($"tree {id}: invalid tree: {e.Message}", e);
        }
    }

    private static Node ReadNode(ref Utf8JsonReader reader)
    {
        JsonReading.Expect(ref reader, JsonTokenType.StartObject);
        string? name = null, user = null, group = null, linkTarget = null, error = null;
        byte[]? rawName = null, linkTargetRaw = null;
        var type = NodeType.Irregular;
        uint mode = 0, uid = 0, gid = 0;
        ulong inode = 0, deviceId = 0, size = 0, links = 0, device = 0;
        GoTimestamp mtime = GoTimestamp.Zero, atime = GoTimestamp.Zero, ctime = GoTimestamp.Zero;
        IReadOnlyList<ObjectId> content = [];
        ObjectId? subtree = null;
        IReadOnlyList<ExtendedAttribute> xattrs = [];
        Dictionary<string, JsonElement>? unknown = null;

        while (JsonReading.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8)) (name, rawName) = ReadName(ref reader);
            else if (reader.ValueTextEquals("type"u8)) type = ReadType(ref reader);
            else if (reader.ValueTextEquals("mode"u8)) mode = JsonReading.ReadUInt32(ref reader);
            else if (reader.ValueTextEquals("mtime"u8)) mtime = ReadTime(ref reader);
            else if (reader.ValueTextEquals("atime"u8)) atime = ReadTime(ref reader);
            else if (reader.ValueTextEquals("ctime"u8)) ctime = ReadTime(ref reader);
            else if (reader.ValueTextEquals("uid"u8)) uid = JsonReading.ReadUInt32(ref reader);
            else if (reader.ValueTextEquals("gid"u8)) gid = JsonReading.ReadUInt32(ref reader);
            else if (reader.ValueTextEquals("user"u8)) user = JsonReading.ReadStringOrNull(ref reader);
            else if (reader.ValueTextEquals("group"u8)) group = JsonReading.ReadStringOrNull(ref reader);
            else if (reader.ValueTextEquals("inode"u8)) inode = JsonReading.ReadUInt64(ref reader);
            else if (reader.ValueTextEquals("device_id"u8)) deviceId = JsonReading.ReadUInt64(ref reader);
            else if (reader.ValueTextEquals("size"u8)) size = JsonReading.ReadUInt64(ref reader);
            else if (reader.ValueTextEquals("links"u8)) links = JsonReading.ReadUInt64(ref reader);
            else if (reader.ValueTextEquals("linktarget"u8)) linkTarget = JsonReading.ReadStringOrNull(ref reader);
            else if (reader.ValueTextEquals("linktarget_raw"u8)) linkTargetRaw = JsonReading.ReadBase64OrNull(ref reader);
            else if (reader.ValueTextEquals("device"u8)) device = JsonReading.ReadUInt64(ref reader);
            else if (reader.ValueTextEquals("content"u8)) content = ReadContent(ref reader);
            else if (reader.ValueTextEquals("subtree"u8)) subtree = JsonReading.ReadObjectIdOrNull(ref reader);
            else if (reader.ValueTextEquals("extended_attributes"u8)) xattrs = ReadExtendedAttributes(ref reader);
            else if (reader.ValueTextEquals("error"u8)) error = JsonReading.ReadStringOrNull(ref reader);
            else
            {
                var key = reader.GetString()!;
                JsonReading.Read(ref reader);
                (unknown ??= [])[key] = JsonElement.ParseValue(ref reader);
            }
        }
        if (name is null)
            throw new JsonException("a node has no name");
        if (linkTargetRaw is { Length: > 0 })
            linkTarget = Encoding.UTF8.GetString(linkTargetRaw);
        else
            linkTargetRaw = null;
        return new Node
        {
            Name = name, RawName = rawName, Type = type, Mode = mode,
            ModTime = mtime, AccessTime = atime, ChangeTime = ctime,
            Uid = uid, Gid = gid, User = user, Group = group,
            Inode = inode, DeviceId = deviceId, Size = size, Links = links,
            LinkTarget = linkTarget, LinkTargetRaw = linkTargetRaw, Device = device,
            Content = content, Subtree = subtree, ExtendedAttributes = xattrs,
            Error = error, Unknown = unknown,
        };
    }

    /// <summary>Decodes a Go-quoted name: text, plus the raw bytes when they are not valid UTF-8.</summary>
    private static (string Name, byte[]? Raw) ReadName(ref Utf8JsonReader reader)
    {
        JsonReading.Read(ref reader);
        JsonReading.Expect(ref reader, JsonTokenType.String);
        var capacity = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var rented = capacity > 512 ? ArrayPool<byte>.Shared.Rent(capacity) : null;
        try
        {
            Span<byte> quoted = rented ?? stackalloc byte[capacity];
            quoted = quoted[..reader.CopyString(quoted)];
            // A name that is not valid Go quoting (not written by restic) is taken literally.
            var raw = GoQuote.Unquote(quoted) ?? quoted.ToArray();
            var text = Encoding.UTF8.GetString(raw);
            return (text, Utf8.IsValid(raw) ? null : raw);
        }
        finally
        {
            if (rented != null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static NodeType ReadType(ref Utf8JsonReader reader)
    {
        JsonReading.Read(ref reader);
        JsonReading.Expect(ref reader, JsonTokenType.String);
        // A type a later restic may add shows as irregular rather than failing the whole directory.
        return !reader.ValueIsEscaped && NodeTypeNames.TryParse(reader.ValueSpan, out var type) ? type : NodeType.Irregular;
    }

    private static GoTimestamp ReadTime(ref Utf8JsonReader reader)
    {
        JsonReading.Read(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
            return GoTimestamp.Zero;
        JsonReading.Expect(ref reader, JsonTokenType.String);
        var ok = reader.ValueIsEscaped || reader.HasValueSequence
            ? GoTimestamp.TryParse(Encoding.UTF8.GetBytes(reader.GetString()!), out var time)
            : GoTimestamp.TryParse(reader.ValueSpan, out time);
        return ok ? time : throw new JsonException($"invalid time '{reader.GetString()}'");
    }

    private static IReadOnlyList<ObjectId> ReadContent(ref Utf8JsonReader reader)
    {
        if (!JsonReading.ReadArrayOrNull(ref reader))
            return [];
        List<ObjectId>? ids = null;
        while (JsonReading.NextElement(ref reader))
            (ids ??= new List<ObjectId>(1)).Add(JsonReading.GetObjectId(ref reader));
        return ids is null ? [] : ids.ToArray();
    }

    private static IReadOnlyList<ExtendedAttribute> ReadExtendedAttributes(ref Utf8JsonReader reader)
    {
        if (!JsonReading.ReadArrayOrNull(ref reader))
            return [];
        var attributes = new List<ExtendedAttribute>();
        while (JsonReading.NextElement(ref reader))
        {
            JsonReading.Expect(ref reader, JsonTokenType.StartObject);
            string? name = null;
            byte[] value = [];
            while (JsonReading.NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("name"u8)) name = JsonReading.ReadStringOrNull(ref reader);
                else if (reader.ValueTextEquals("value"u8)) value = JsonReading.ReadBase64OrNull(ref reader);
                else JsonReading.SkipValue(ref reader);
            }
            attributes.Add(new ExtendedAttribute(name ?? throw new JsonException("an extended attribute has no name"), value));
        }
        return attributes;
    }
}
