using StashMount.Mount.DataPath;
using StashMount.Mount.Fuse;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Filesystem;

/// <summary>A regular file of a snapshot. Its offset→blob map is built on first open and kept.</summary>
internal sealed class TreeFile(SnapshotContext context, FuseAttributes attributes, Node node, MountNode parent)
    : MountNode(attributes.Inode, node.Name, parent)
{
    private FileContentMap? _map;

    public override FuseAttributes Attributes { get; } = attributes;

    public Node Node { get; } = node;

    public SnapshotContext Context { get; } = context;

    /// <summary>The map of the file's content; throws EIO when a blob is unknown to the index.</summary>
    public FileContentMap ContentMap()
    {
        if (_map is { } map)
            return map;
        map = FileContentMap.Build(Node.Content, id =>
        {
            var length = Context.Fetcher.PlaintextLength(id);
            return length >= 0 ? length : throw new FuseException(Errno.EIO, $"{Path}: data blob {id.ToShortString()} is not in the index");
        });
        return _map = map;
    }
}
