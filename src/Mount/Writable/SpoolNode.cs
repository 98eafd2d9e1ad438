namespace StashMount.Mount.Writable;

/// <summary>
/// One inode of <c>new/</c>: a spool object identified by (st_dev, st_ino), so every hard link of a file is the same
/// inode. It remembers one name it is reachable by (the last one looked up, created, linked or renamed to); the
/// path is built from the parents at use time, so renaming a directory moves everything below it. Guarded by the
/// table's lock.
/// </summary>
internal sealed class SpoolNode(ulong inode, (ulong Device, ulong Inode) key, SpoolNode? parent, string name)
{
    public ulong Inode { get; } = inode;

    public (ulong Device, ulong Inode) Key { get; } = key;

    /// <summary>Null for the root, and for a node whose remembered name was removed while other links remain.</summary>
    public SpoolNode? Parent { get; set; } = parent;

    public string Name { get; set; } = name;

    /// <summary>Lookups the kernel holds (entries replied minus forgets).</summary>
    public long Lookups { get; set; }

    /// <summary>Open handles of this inode, newest last: fstat fallback for a file whose name is gone.</summary>
    public List<SpoolHandle> Handles { get; } = [];

    /// <summary>Writable handles open now; the last one's release reports the file closed.</summary>
    public int WritableHandles { get; set; }

    /// <summary>A write or fsync through one of its handles failed since it was last opened for writing.</summary>
    public bool WriteFailed { get; set; }

    public bool IsRoot { get; init; }

    /// <summary>False once the remembered name is gone (unlinked or replaced) and no other name is known yet.</summary>
    public bool HasPath => IsRoot || (Parent is { } p && p.HasPath);

    /// <summary>'/'-separated path below the tree root ("" for the root), as the spool wants it.</summary>
    public string RelativePath => IsRoot ? "" : Parent is { IsRoot: true } ? Name : Parent!.RelativePath + "/" + Name;
}
