using StashMount.Mount.Filesystem.Templates;
using StashMount.Mount.Fuse;
using StashMount.Repository;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// The listing layer, built from restic's path templates (default ids/%i, snapshots/%T, hosts/%h/%T, tags/%t/%T)
/// and time template: each snapshot is placed at every path its templates give; names that are taken get "-1",
/// "-2" … in time order; a listing of times gets a "latest" link to its newest snapshot. Update replaces the
/// entries; directories, snapshot roots and links keep their inode numbers across updates.
/// </summary>
internal sealed class SnapshotLayout
{
    private readonly InodeTable _inodes;
    private readonly Func<Snapshot, string, MountNode, DirectoryNode> _createRoot;
    private readonly IReadOnlyList<string> _pathTemplates;
    private readonly string? _timeTemplate;
    private readonly Dictionary<string, VirtualDirectory> _directories = new(StringComparer.Ordinal);
    private readonly Dictionary<(ObjectId, string), DirectoryNode> _roots = [];
    private readonly Dictionary<(string, string), VirtualSymlink> _links = [];
    private readonly Lock _lock = new();

    /// <param name="createRoot">Makes the directory of one snapshot's tree, given the snapshot, a name and the listing it sits in.</param>
    /// <param name="pathTemplates">restic's --path-template values; null or empty for the defaults.</param>
    /// <param name="timeTemplate">A Go time layout (--time-template); null for RFC 3339 in UTC.</param>
    public SnapshotLayout(InodeTable inodes, VirtualDirectory root, Func<Snapshot, string, MountNode, DirectoryNode> createRoot,
        IReadOnlyList<string>? pathTemplates = null, string? timeTemplate = null)
    {
        _inodes = inodes;
        Root = root;
        _createRoot = createRoot;
        _pathTemplates = pathTemplates is { Count: > 0 } ? pathTemplates : PathTemplate.Defaults;
        _timeTemplate = timeTemplate;
        _directories[""] = root;
    }

    public VirtualDirectory Root { get; }

    public void Update(IReadOnlyList<Snapshot> snapshots)
    {
        var tree = TemplateTree.Build(snapshots.OrderBy(s => s.Time).ThenBy(s => s.Id), _pathTemplates, TimeText);
        lock (_lock)
            Fill(Root, "", tree);
    }

    private string TimeText(Snapshot snapshot) => GoTimeLayout.Format(snapshot.Time, _timeTemplate ?? GoTimeLayout.Rfc3339);

    /// <summary>Sets a directory's entries from the tree, timed at its newest snapshot.</summary>
    private void Fill(VirtualDirectory directory, string path, TemplateTree.Entry entry)
    {
        var children = new List<NamedNode>();
        var newest = default(DateTimeOffset?);
        foreach (var (name, child) in entry.Children ?? Enumerable.Empty<KeyValuePair<string, TemplateTree.Entry>>())
        {
            var childPath = path + "/" + name;
            if (child.Snapshot is { } snapshot)
            {
                var time = FuseTimestamp.FromDateTimeOffset(snapshot.Time);
                MountNode node = child.LinkTarget is { } target ? Link(path, target, directory, time) : RootOf(snapshot, childPath, name, directory);
                children.Add(new NamedNode(name, node));
            }
            else
            {
                var sub = Directory(childPath, name, directory);
                Fill(sub, childPath, child);
                children.Add(new NamedNode(name, sub));
            }
            if (child.Newest is { } t && (newest is null || t > newest))
                newest = t;
        }
        directory.SetChildren(children, newest is { } n ? FuseTimestamp.FromDateTimeOffset(n) : default);
    }

    private VirtualDirectory Directory(string path, string name, MountNode parent)
    {
        if (!_directories.TryGetValue(path, out var directory))
        {
            directory = _inodes.Register(new VirtualDirectory(_inodes.Allocate(), name, parent));
            _directories[path] = directory;
        }
        return directory;
    }

    // One root per snapshot and path: the same snapshot under snapshots/ and hosts/x/ are different directories
    // (as separate trees), so tools never see a directory reachable by two paths.
    private DirectoryNode RootOf(Snapshot snapshot, string path, string name, MountNode parent)
    {
        if (!_roots.TryGetValue((snapshot.Id, path), out var root))
        {
            root = _createRoot(snapshot, name, parent);
            _roots[(snapshot.Id, path)] = root;
        }
        return root;
    }

    private VirtualSymlink Link(string path, string target, MountNode parent, FuseTimestamp time)
    {
        if (!_links.TryGetValue((path, target), out var link))
        {
            link = _inodes.Register(new VirtualSymlink(_inodes.Allocate(), SnapshotNames.Latest, parent, target, time));
            _links[(path, target)] = link;
        }
        return link;
    }

    /// <summary>Whether a host, tag or object name can be one directory name.</summary>
    internal static bool IsUsableName(string name) => name.Length > 0 && name != "." && name != ".." && !name.Contains('/') && !name.Contains('\0');
}
