using StashMount.Mount.Fuse;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Filesystem;

/// <summary>Turns restic's node fields (Go os.FileMode, times, owner) into struct stat.</summary>
internal static class NodeAttributes
{
    private const uint GoSetuid = 1u << 23;
    private const uint GoSetgid = 1u << 22;
    private const uint GoSticky = 1u << 20;

    public static uint ModeOf(Node node)
    {
        var mode = node.Mode & 0x1FF; // rwxrwxrwx
        if ((node.Mode & GoSetuid) != 0) mode |= 0x800;
        if ((node.Mode & GoSetgid) != 0) mode |= 0x400;
        if ((node.Mode & GoSticky) != 0) mode |= 0x200;
        return mode | TypeOf(node.Type);
    }

    public static uint TypeOf(NodeType type) => type switch
    {
        NodeType.Dir => FuseAttributes.Directory,
        NodeType.Symlink => FuseAttributes.SymbolicLink,
        NodeType.Dev => FuseAttributes.BlockDevice,
        NodeType.CharDev => FuseAttributes.CharacterDevice,
        NodeType.Fifo => FuseAttributes.Fifo,
        NodeType.Socket => FuseAttributes.Socket,
        _ => FuseAttributes.RegularFile,
    };

    public static FuseAttributes Of(ulong inode, Node node, bool ownerRoot, long size)
    {
        var isDirectory = node.Type == NodeType.Dir;
        return new FuseAttributes
        {
            Inode = inode,
            Mode = ModeOf(node),
            // Directories report 1 ("unknown"), which keeps find from guessing subdirectory counts.
            Links = isDirectory ? 1 : Math.Max(node.Links, 1),
            Uid = ownerRoot ? 0 : node.Uid,
            Gid = ownerRoot ? 0 : node.Gid,
            Rdev = node.Type is NodeType.Dev or NodeType.CharDev ? node.Device : 0,
            Size = size,
            Blocks = (size + 511) / 512,
            AccessTime = Time(node.AccessTime),
            ModificationTime = Time(node.ModTime),
            ChangeTime = Time(node.ChangeTime),
        };
    }

    public static FuseTimestamp Time(GoTimestamp t) => new(t.UnixSeconds, t.Nanoseconds);
}
