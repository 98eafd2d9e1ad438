using StashMount.Backends.Kubernetes;
using StashMount.Mount.Fuse;

namespace StashMount.Mount.Filesystem.KubeStash;

/// <summary>
/// &lt;repository&gt;/snapshots/&lt;KubeStash Snapshot&gt;/&lt;component&gt;: a relative link to the restic snapshot the
/// KubeStash Snapshot recorded for that component (../../&lt;session&gt;/&lt;component&gt;/ids/&lt;short id&gt;). A component
/// backed up from several paths has one restic snapshot per path: it becomes a folder of links, one per snapshot.
/// </summary>
internal static class KubeStashSnapshotLinks
{
    public const string FolderName = "snapshots";

    /// <summary>The snapshots/ folder of a repository directory, or null when no Snapshot recorded a restic snapshot.</summary>
    public static VirtualDirectory? Build(InodeTable inodes, MountNode repositoryDirectory, IReadOnlyList<KubeStashComponent> components, FuseTimestamp time)
    {
        var bySnapshot = components
            .SelectMany(c => c.ResticSnapshotsBySnapshot.Select(s => (Snapshot: s.Key, Component: c, Ids: s.Value.Where(IsSnapshotId).ToList())))
            .Where(e => e.Ids.Count > 0 && SnapshotLayout.IsUsableName(e.Snapshot))
            .GroupBy(e => e.Snapshot, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (bySnapshot.Count == 0)
            return null;

        var folder = inodes.Register(new VirtualDirectory(inodes.Allocate(), FolderName, repositoryDirectory));
        var snapshotEntries = new List<NamedNode>();
        foreach (var snapshot in bySnapshot)
        {
            var snapshotDirectory = inodes.Register(new VirtualDirectory(inodes.Allocate(), snapshot.Key, folder));
            var entries = new List<NamedNode>();
            foreach (var (_, component, ids) in snapshot.OrderBy(e => e.Component.Component, StringComparer.Ordinal))
            {
                if (entries.Any(e => e.Name == component.Component))
                    continue;
                var target = $"{component.Session}/{component.Component}/ids";
                if (ids.Count == 1)
                {
                    entries.Add(new(component.Component, Link(inodes, component.Component, snapshotDirectory, $"../../{target}/{ShortId(ids[0])}", time)));
                    continue;
                }
                var several = inodes.Register(new VirtualDirectory(inodes.Allocate(), component.Component, snapshotDirectory));
                several.SetChildren([.. ids.Distinct().Order(StringComparer.Ordinal)
                    .Select(id => new NamedNode(ShortId(id), Link(inodes, ShortId(id), several, $"../../../{target}/{ShortId(id)}", time)))], time);
                entries.Add(new(component.Component, several));
            }
            snapshotDirectory.SetChildren(entries, time);
            snapshotEntries.Add(new(snapshot.Key, snapshotDirectory));
        }
        folder.SetChildren(snapshotEntries, time);
        return folder;
    }

    private static VirtualSymlink Link(InodeTable inodes, string name, MountNode parent, string target, FuseTimestamp time) =>
        inodes.Register(new VirtualSymlink(inodes.Allocate(), name, parent, target, time));

    private static string ShortId(string id) => id[..8];

    private static bool IsSnapshotId(string id) => id.Length >= 8 && id.All(char.IsAsciiHexDigitLower);
}
