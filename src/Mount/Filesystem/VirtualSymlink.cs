using StashMount.Mount.Fuse;

namespace StashMount.Mount.Filesystem;

/// <summary>A "latest" link. Its target never changes: a refresh that moves "latest" creates a new link node.</summary>
internal sealed class VirtualSymlink(ulong inode, string name, MountNode parent, string target, FuseTimestamp time)
    : MountNode(inode, name, parent)
{
    public string Target { get; } = target;

    public override bool IsVolatile => true;

    public override FuseAttributes Attributes { get; } = new()
    {
        Inode = inode,
        Mode = FuseAttributes.SymbolicLink | 0x1FF,
        Links = 1,
        Size = System.Text.Encoding.UTF8.GetByteCount(target),
        AccessTime = time,
        ModificationTime = time,
        ChangeTime = time,
    };
}
