using StashMount.Mount.Fuse;

namespace StashMount.Mount.Filesystem;

/// <summary>A directory of the snapshot listings (snapshots/, hosts/x/, …): its entries are replaced on refresh.</summary>
internal sealed class VirtualDirectory(ulong inode, string name, MountNode? parent) : DirectoryNode(inode, name, parent)
{
    private sealed record Children(IReadOnlyList<NamedNode> Ordered, Dictionary<string, MountNode> ByName, FuseTimestamp Time);

    private volatile Children _children = new([], [], default);

    public override bool IsVolatile => true;

    public override FuseAttributes Attributes => new()
    {
        Inode = Inode,
        Mode = FuseAttributes.Directory | 0x16D, // r-xr-xr-x
        Links = 1,
        AccessTime = _children.Time,
        ModificationTime = _children.Time,
        ChangeTime = _children.Time,
    };

    public void SetChildren(IReadOnlyList<NamedNode> children, FuseTimestamp time)
    {
        var byName = new Dictionary<string, MountNode>(StringComparer.Ordinal);
        foreach (var child in children)
            byName[child.Name] = child.Node;
        _children = new Children(children, byName, time);
    }

    public override ValueTask<IReadOnlyList<NamedNode>> ChildrenAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_children.Ordered);

    public override ValueTask<MountNode?> LookupAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_children.ByName.GetValueOrDefault(name));
}
