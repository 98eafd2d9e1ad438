using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Filesystem.Templates;

/// <summary>
/// Where restic's path templates put each snapshot, as a tree of names. Snapshots are placed oldest first; a path
/// already taken gets "-1", "-2" …; a template ending in %T adds a "latest" link (to the name, relative to its
/// folder) for the newest snapshot of each listing. Paths are cleaned like Go's path.Clean ("a//b", "./", "..").
/// </summary>
public static class TemplateTree
{
    public sealed class Entry
    {
        /// <summary>Set for a snapshot root or a "latest" link; null for a folder.</summary>
        public Snapshot? Snapshot { get; internal set; }

        /// <summary>Set for a "latest" link: the name it points to, relative to its folder.</summary>
        public string? LinkTarget { get; internal set; }

        /// <summary>A folder's entries by name (ordinal order); null for a snapshot or link.</summary>
        public SortedDictionary<string, Entry>? Children { get; internal set; }

        /// <summary>The newest snapshot time at or below this entry.</summary>
        public DateTimeOffset? Newest { get; internal set; }
    }

    /// <param name="snapshots">In placement order: oldest first (ties by ID), so suffixes stay stable.</param>
    public static Entry Build(IEnumerable<Snapshot> snapshots, IReadOnlyList<string> pathTemplates, Func<Snapshot, string> timeText)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        Put(entries, "", null, null);
        foreach (var template in pathTemplates)
            if (PathTemplate.StaticPrefix(template) is { Length: > 0 } prefix)
                Put(entries, Clean(prefix), null, null);

        var latest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var snapshot in snapshots)
        {
            var time = timeText(snapshot);
            foreach (var template in pathTemplates)
            {
                var (paths, timeName) = PathTemplate.Expand(template, time, snapshot);
                foreach (var expanded in paths)
                {
                    var folder = expanded.Length == 0 ? "" : "/" + expanded;
                    var name = UniqueName(entries, folder, timeName);
                    Put(entries, Clean(folder + name), snapshot, null);
                    if (timeName.Length > 0 && (!latest.TryGetValue(folder, out var newest) || snapshot.Time >= newest))
                    {
                        Put(entries, Clean(folder + "/" + SnapshotNames.Latest), snapshot, name);
                        latest[folder] = snapshot.Time;
                    }
                }
            }
        }
        return entries[""];
    }

    private static void Put(Dictionary<string, Entry> entries, string path, Snapshot? snapshot, string? linkTarget)
    {
        if (!entries.TryGetValue(path, out var entry))
            entries[path] = entry = new Entry();
        if (snapshot is not null)
        {
            entry.Snapshot = snapshot;
            entry.LinkTarget = linkTarget;
            entry.Children = null;
            if (entry.Newest is null || snapshot.Time > entry.Newest)
                entry.Newest = snapshot.Time;
        }
        else
        {
            entry.Children ??= new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        }
        // Hook the entry into its folders up to the root, carrying its time up.
        var child = entry;
        var childPath = path;
        while (childPath.Length > 0)
        {
            var slash = childPath.LastIndexOf('/');
            var parentPath = childPath[..slash];
            if (!entries.TryGetValue(parentPath, out var parent))
                entries[parentPath] = parent = new Entry();
            if (parent.Snapshot is not null)
                return; // a snapshot already sits where this would need a folder: it wins, as in restic
            parent.Children ??= new SortedDictionary<string, Entry>(StringComparer.Ordinal);
            parent.Children[childPath[(slash + 1)..]] = child;
            if (child.Newest is { } t && (parent.Newest is null || t > parent.Newest))
                parent.Newest = t;
            child = parent;
            childPath = parentPath;
        }
    }

    private static string UniqueName(Dictionary<string, Entry> entries, string folder, string name)
    {
        var candidate = name;
        for (var i = 1; entries.ContainsKey(Clean(folder + candidate)); i++)
            candidate = $"{name}-{i}";
        return candidate;
    }

    /// <summary>"/a/b" form ("" for the root): empty and "." segments dropped, ".." goes up (never above the root).</summary>
    public static string Clean(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
                continue;
            if (segment == "..")
            {
                if (segments.Count > 0)
                    segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return segments.Count == 0 ? "" : "/" + string.Join('/', segments);
    }
}
