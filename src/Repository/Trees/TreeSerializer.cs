using StashMount.Repository.Json;

namespace StashMount.Repository.Trees;

/// <summary>
/// Writes a tree blob exactly as restic does — {"nodes":[…]} and a newline, nodes sorted by their raw name
/// bytes, each node Go-marshalled with restic's field order and omitempty rules — so that the same directory
/// gets the same tree ID from both tools.
/// </summary>
public static class TreeSerializer
{
    /// <summary>The tree blob for <paramref name="nodes"/> (sorted here; duplicate names are an error).</summary>
    public static byte[] Serialize(IEnumerable<Node> nodes)
    {
        var sorted = nodes.Select(n => (Name: n.GetNameBytes(), Node: n)).ToList();
        sorted.Sort(static (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        var json = new GoJsonWriter(256 + 512 * sorted.Count);
        json.StartObject();
        json.Name("nodes"u8);
        json.StartArray();
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0 && sorted[i - 1].Name.AsSpan().SequenceEqual(sorted[i].Name))
                throw new ArgumentException($"duplicate name '{sorted[i].Node.Name}' in a tree", nameof(nodes));
            WriteNode(json, sorted[i].Name, sorted[i].Node);
        }
        json.EndArray();
        json.EndObject();
        json.Raw("\n"u8);
        return json.ToArray();
    }

    private static void WriteNode(GoJsonWriter json, byte[] name, Node node)
    {
        json.StartObject();
        json.Name("name"u8);
        json.String(GoQuote.Quote(name));
        json.Name("type"u8);
        json.String(NodeTypeNames.ToName(node.Type));
        if (node.Mode != 0) { json.Name("mode"u8); json.Number((ulong)node.Mode); }
        json.Name("mtime"u8);
        json.String(node.ModTime.ToString());
        json.Name("atime"u8);
        json.String(node.AccessTime.ToString());
        json.Name("ctime"u8);
        json.String(node.ChangeTime.ToString());
        json.Name("uid"u8);
        json.Number((ulong)node.Uid);
        json.Name("gid"u8);
        json.Number((ulong)node.Gid);
        if (!string.IsNullOrEmpty(node.User)) { json.Name("user"u8); json.String(node.User); }
        if (!string.IsNullOrEmpty(node.Group)) { json.Name("group"u8); json.String(node.Group); }
        if (node.Inode != 0) { json.Name("inode"u8); json.Number(node.Inode); }
        if (node.DeviceId != 0) { json.Name("device_id"u8); json.Number(node.DeviceId); }
        if (node.Size != 0) { json.Name("size"u8); json.Number(node.Size); }
        if (node.Links != 0) { json.Name("links"u8); json.Number(node.Links); }
        WriteLinkTarget(json, node);
        if (node.ExtendedAttributes.Count > 0)
        {
            json.Name("extended_attributes"u8);
            json.StartArray();
            foreach (var xattr in node.ExtendedAttributes)
            {
                json.StartObject();
                json.Name("name"u8);
                json.String(xattr.Name);
                json.Name("value"u8);
                json.Base64(xattr.Value);
                json.EndObject();
            }
            json.EndArray();
        }
        if (node.Device != 0) { json.Name("device"u8); json.Number(node.Device); }
        json.Name("content"u8);
        if (node.Type == NodeType.File || node.Content.Count > 0)
        {
            json.StartArray();
            foreach (var id in node.Content)
                json.Id(id);
            json.EndArray();
        }
        else
        {
            json.Null();
        }
        if (node.Subtree is { } subtree) { json.Name("subtree"u8); json.Id(subtree); }
        if (!string.IsNullOrEmpty(node.Error)) { json.Name("error"u8); json.String(node.Error); }
        json.EndObject();
    }

    private static void WriteLinkTarget(GoJsonWriter json, Node node)
    {
        var target = node.GetLinkTargetBytes();
        if (target.Length == 0)
            return;
        json.Name("linktarget"u8);
        json.String(target);
        // restic 0.16+ keeps targets that are not UTF-8 losslessly here; older readers ignore the field.
        if (!System.Text.Unicode.Utf8.IsValid(target))
        {
            json.Name("linktarget_raw"u8);
            json.Base64(target);
        }
    }
}
