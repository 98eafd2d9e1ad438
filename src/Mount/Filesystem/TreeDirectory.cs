using StashMount.Mount.Fuse;
using StashMount.Repository;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Filesystem;

/// <summary>A directory of a snapshot: its tree blob is loaded on first use, then its children are fixed forever.</summary>
internal sealed class TreeDirectory : DirectoryNode
{
    private readonly SnapshotContext _context;
    private readonly ObjectId? _subtree;
    private readonly Node? _node;
    private Task<Children>? _children;

    private sealed record Children(IReadOnlyList<NamedNode> Ordered, Dictionary<string, MountNode> ByName);

    public TreeDirectory(SnapshotContext context, ObjectId? subtree, FuseAttributes attributes, Node? node, string name, MountNode? parent)
        : base(attributes.Inode, name, parent)
    {
        _context = context;
        _subtree = subtree;
        _node = node;
        Attributes = attributes;
    }

    public override FuseAttributes Attributes { get; }

    /// <summary>The tree node this directory came from (null for a snapshot's root), for its xattrs.</summary>
    public Node? Node => _node;

    /// <summary>The tree blob that lists this directory.</summary>
    public ObjectId? Subtree => _subtree;

    public override async ValueTask<IReadOnlyList<NamedNode>> ChildrenAsync(CancellationToken cancellationToken) =>
        (await LoadAsync().ConfigureAwait(false)).Ordered;

    public override async ValueTask<MountNode?> LookupAsync(string name, CancellationToken cancellationToken) =>
        (await LoadAsync().ConfigureAwait(false)).ByName.GetValueOrDefault(name);

    private Task<Children> LoadAsync()
    {
        var current = Volatile.Read(ref _children);
        if (current is { IsFaulted: false, IsCanceled: false })
            return current;
        // First use, or the last attempt failed (e.g. the backend was down): try again.
        var fresh = BuildAsync();
        return Interlocked.CompareExchange(ref _children, fresh, current) == current ? fresh : _children!;
    }

    private async Task<Children> BuildAsync()
    {
        var ordered = new List<NamedNode>();
        var byName = new Dictionary<string, MountNode>(StringComparer.Ordinal);
        if (_subtree is { } id)
        {
            var tree = await _context.Repository.LoadTreeAsync(id, CancellationToken.None).ConfigureAwait(false);
            foreach (var node in tree.Nodes)
            {
                if (byName.ContainsKey(node.Name))
                    continue;
                var child = Create(node);
                ordered.Add(new NamedNode(node.Name, child));
                byName[node.Name] = child;
            }
        }
        return new Children(ordered, byName);
    }

    private MountNode Create(Node node)
    {
        var inodes = _context.Inodes;
        switch (node.Type)
        {
            case NodeType.Dir:
                var inode = inodes.Allocate();
                return inodes.Register(new TreeDirectory(_context, node.Subtree, NodeAttributes.Of(inode, node, _context.OwnerRoot, 0), node, node.Name, this));
            case NodeType.File when node.Links > 1:
                return _context.Hardlinks.GetOrAdd((node.DeviceId, node.Inode), _ => NewFile(node));
            case NodeType.File:
                return NewFile(node);
            default:
                var special = inodes.Allocate();
                var size = node.Type == NodeType.Symlink ? System.Text.Encoding.UTF8.GetByteCount(node.LinkTarget ?? "") : 0;
                return inodes.Register(new TreeLeaf(NodeAttributes.Of(special, node, _context.OwnerRoot, size), node, this));
        }
    }

    private TreeFile NewFile(Node node)
    {
        var inode = _context.Inodes.Allocate();
        return _context.Inodes.Register(new TreeFile(_context, NodeAttributes.Of(inode, node, _context.OwnerRoot, (long)node.Size), node, this));
    }
}
