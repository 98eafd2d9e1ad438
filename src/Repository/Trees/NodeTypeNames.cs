namespace StashMount.Repository.Trees;

/// <summary>The "type" strings of tree nodes.</summary>
public static class NodeTypeNames
{
    public static string ToName(NodeType type) => type switch
    {
        NodeType.File => "file",
        NodeType.Dir => "dir",
        NodeType.Symlink => "symlink",
        NodeType.Dev => "dev",
        NodeType.CharDev => "chardev",
        NodeType.Fifo => "fifo",
        NodeType.Socket => "socket",
        NodeType.Irregular => "irregular",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(ReadOnlySpan<byte> name, out NodeType type)
    {
        type = name switch
        {
            _ when name.SequenceEqual("file"u8) => NodeType.File,
            _ when name.SequenceEqual("dir"u8) => NodeType.Dir,
            _ when name.SequenceEqual("symlink"u8) => NodeType.Symlink,
            _ when name.SequenceEqual("dev"u8) => NodeType.Dev,
            _ when name.SequenceEqual("chardev"u8) => NodeType.CharDev,
            _ when name.SequenceEqual("fifo"u8) => NodeType.Fifo,
            _ when name.SequenceEqual("socket"u8) => NodeType.Socket,
            _ when name.SequenceEqual("irregular"u8) => NodeType.Irregular,
            _ => (NodeType)(-1),
        };
        return type >= 0;
    }
}
