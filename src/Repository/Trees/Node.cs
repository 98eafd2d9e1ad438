namespace StashMount.Repository.Trees;

/// <summary>
/// One entry of a tree blob with restic's node fields. <see cref="Mode"/> holds Go's os.FileMode bits
/// (type bits high, permission bits low), exactly as stored.
/// </summary>
public sealed class Node
{
    /// <summary>The name as text. When the stored name is not valid UTF-8 this is a lossy decoding; see <see cref="RawName"/>.</summary>
    public required string Name { get; init; }
    /// <summary>The name's bytes when they are not valid UTF-8 (restic stores them Go-quoted); null otherwise.</summary>
    public byte[]? RawName { get; init; }
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
    /// <summary>"linktarget_raw": the target's bytes when they are not valid UTF-8 (restic 0.16+); overrides <see cref="LinkTarget"/>.</summary>
    public byte[]? LinkTargetRaw { get; init; }
    /// <summary>The device number of a block or character device node.</summary>
    public ulong Device { get; init; }
    public IReadOnlyList<ObjectId> Content { get; init; } = [];
    public ObjectId? Subtree { get; init; }
    public IReadOnlyList<ExtendedAttribute> ExtendedAttributes { get; init; } = [];
    /// <summary>"error": why restic could read the node only partly.</summary>
    public string? Error { get; init; }
    /// <summary>Other JSON members this version does not model, kept verbatim for faithful re-serialisation.</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Unknown { get; init; }

    /// <summary>The name's bytes, as the file system should show them.</summary>
    public byte[] GetNameBytes() => RawName ?? System.Text.Encoding.UTF8.GetBytes(Name);

    /// <summary>The symlink target's bytes (empty when not a symlink).</summary>
    public byte[] GetLinkTargetBytes() => LinkTargetRaw ?? System.Text.Encoding.UTF8.GetBytes(LinkTarget ?? "");

    /// <summary>st_mode for the file system: the type follows <see cref="Type"/>, permissions and special bits <see cref="Mode"/>.</summary>
    public uint PosixMode => GoFileMode.ToPosix(Mode, Type);
}
