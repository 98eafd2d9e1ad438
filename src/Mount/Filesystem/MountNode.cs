using StashMount.Mount.Fuse;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// An inode of the mounted tree. Nodes live as long as the mount (the kernel may refer to any inode it has seen),
/// and a node's inode number never changes, so refreshes and repeated lookups stay consistent.
/// </summary>
internal abstract class MountNode(ulong inode, string name, MountNode? parent)
{
    public ulong Inode { get; } = inode;

    public string Name { get; } = name;

    public MountNode? Parent { get; } = parent;

    public abstract FuseAttributes Attributes { get; }

    /// <summary>True for the snapshot listings, which change on refresh; false for snapshot content, which never changes.</summary>
    public virtual bool IsVolatile => false;

    /// <summary>The path inside the mount, for log lines.</summary>
    public string Path => Parent is null ? "/" : Parent.Parent is null ? "/" + Name : Parent.Path + "/" + Name;
}
