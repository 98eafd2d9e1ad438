using StashMount.Mount.Fuse;
using StashMount.Repository;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// The listing layer, as restic mount shows it: snapshots/&lt;time&gt;, hosts/&lt;host&gt;/&lt;time&gt;,
/// tags/&lt;tag&gt;/&lt;time&gt;, ids/&lt;short id&gt;, with a "latest" link in each listing of times. Update
/// replaces the entries; directories and snapshot roots keep their inode numbers across updates.
/// </summary>
internal sealed class SnapshotLayout
{
    private readonly InodeTable _inodes;
    private readonly Func<Snapshot, string, MountNode, DirectoryNode> _createRoot;
    private readonly Dictionary<string, VirtualDirectory> _directories = new(StringComparer.Ordinal);
    private readonly Dictionary<(ObjectId, string), DirectoryNode> _roots = [];
    private readonly Dictionary<(string, string), VirtualSymlink> _links = [];
    private readonly Lock _lock = new();

    /// <param name="createRoot">Makes the directory of one snapshot's tree, given the snapshot, a name and the listing it sits in.</param>
    public SnapshotLayout(InodeTable inodes, VirtualDirectory root, Func<Snapshot, string, MountNode, DirectoryNode> createRoot)
    {
        _inodes = inodes;
        Root = root;
        _createRoot = createRoot;
        _directories[""] = root;
    }

    public VirtualDirectory Root { get; }

    public void Update(IReadOnlyList<Snapshot> snapshots)
    {
        lock (_lock)
        {
            var newest = snapshots.Count == 0 ? default : FuseTimestamp.FromDateTimeOffset(snapshots.Max(s => s.Time));
            var snapshotsDir = Directory("snapshots", Root);
            var hostsDir = Directory("hosts", Root);
            var tagsDir = Directory("tags", Root);
            var idsDir = Directory("ids", Root);
            Root.SetChildren([new("hosts", hostsDir), new("ids", idsDir), new("snapshots", snapshotsDir), new("tags", tagsDir)], newest);

            FillTimes(snapshotsDir, "snapshots", snapshots);
            hostsDir.SetChildren(Groups(hostsDir, "hosts", snapshots.GroupBy(s => s.Hostname)), newest);
            tagsDir.SetChildren(Groups(tagsDir, "tags", snapshots.SelectMany(s => s.Tags.Distinct().Select(t => (Tag: t, Snapshot: s)))
                .GroupBy(p => p.Tag, p => p.Snapshot)), newest);
            idsDir.SetChildren([.. snapshots.OrderBy(s => s.ShortId, StringComparer.Ordinal)
                .Select(s => new NamedNode(s.ShortId, RootOf(s, "ids", s.ShortId, idsDir)))], newest);
        }
    }

    private List<NamedNode> Groups(VirtualDirectory parent, string path, IEnumerable<IGrouping<string, Snapshot>> groups)
    {
        var entries = new List<NamedNode>();
        foreach (var group in groups.Where(g => IsUsableName(g.Key)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var directory = Directory($"{path}/{group.Key}", parent);
            FillTimes(directory, $"{path}/{group.Key}", [.. group]);
            entries.Add(new NamedNode(group.Key, directory));
        }
        return entries;
    }

    private void FillTimes(VirtualDirectory directory, string path, IReadOnlyList<Snapshot> snapshots)
    {
        var named = SnapshotNames.Assign(snapshots);
        var entries = named.Select(n => new NamedNode(n.Name, RootOf(n.Snapshot, path, n.Name, directory))).ToList();
        var time = default(FuseTimestamp);
        if (named.Count > 0)
        {
            var (latestName, latest) = named[^1];
            time = FuseTimestamp.FromDateTimeOffset(latest.Time);
            if (!named.Any(n => n.Name == SnapshotNames.Latest))
                entries.Add(new NamedNode(SnapshotNames.Latest, Link(path, latestName, directory, time)));
        }
        directory.SetChildren(entries, time);
    }

    private VirtualDirectory Directory(string path, MountNode parent)
    {
        if (!_directories.TryGetValue(path, out var directory))
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            directory = _inodes.Register(new VirtualDirectory(_inodes.Allocate(), name, parent));
            _directories[path] = directory;
        }
        return directory;
    }

    // One root per snapshot and listing: the same snapshot under snapshots/ and hosts/x/ are different
    // directories (as separate trees), so tools never see a directory reachable by two paths.
    private DirectoryNode RootOf(Snapshot snapshot, string listing, string name, MountNode parent)
    {
        if (!_roots.TryGetValue((snapshot.Id, listing), out var root))
        {
            root = _createRoot(snapshot, name, parent);
            _roots[(snapshot.Id, listing)] = root;
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

    // Host and tag names become directory names: ones that cannot be a name are left out.
    internal static bool IsUsableName(string name) => name.Length > 0 && name != "." && name != ".." && !name.Contains('/') && !name.Contains('\0');
}
