namespace StashMount.Mount.Filesystem;

/// <summary>A directory: its entries in listing order, and lookup by name.</summary>
internal abstract class DirectoryNode(ulong inode, string name, MountNode? parent) : MountNode(inode, name, parent)
{
    public abstract ValueTask<IReadOnlyList<NamedNode>> ChildrenAsync(CancellationToken cancellationToken);

    public abstract ValueTask<MountNode?> LookupAsync(string name, CancellationToken cancellationToken);
}
