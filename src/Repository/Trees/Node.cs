namespace StashMount.Repository.Trees;

/// <summary>
/// One entry of a tree blob with restic's node fields. <see cref="Mode"/> holds Go's os.FileMode bits
/// (type bits high, permission bits low), exactly as stored.
/// </summary>
public sealed class Node
{
    public required string Name { get; init; }
    public NodeType Type { get; init; }
    public uint Mode { get; init; }
    public GoTimestamp ModTime { get; init; }
    public GoTimestamp AccessTime { get; init; }
    public GoTimestamp ChangeTime { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public string? User { get; init; }
    public string? Group { get; init; }
    public ulong Inode { get; init; }
    public ulong DeviceId { get; init; }
    public ulong Size { get; init; }
    public ulong Links { get; init; }
    public string? LinkTarget { get; init; }
    /// <summary>The device number of a block or character device node.</summary>
    public ulong Device { get; init; }
    public IReadOnlyList<ObjectId> Content { get; init; } = [];
    public ObjectId? Subtree { get; init; }
    public IReadOnlyList<ExtendedAttribute> ExtendedAttributes { get; init; } = [];
    /// <summary>Other JSON members this version does not model, kept verbatim for faithful re-serialisation.</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Unknown { get; init; }
}
