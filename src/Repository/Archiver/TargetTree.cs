namespace StashMount.Repository.Archiver;

/// <summary>
/// The directories leading to the backup targets, as restic lays them out for absolute paths: /a/b/c becomes
/// a → b → c in the snapshot, each intermediate directory with its own metadata. A target inside another
/// target is covered by it.
/// </summary>
internal sealed class TargetTree
{
    private TargetTree(string path) => Path = path;

    /// <summary>The real path of this directory ("/" for the root).</summary>
    public string Path { get; }

    /// <summary>Backed up completely (a target), as opposed to an intermediate directory.</summary>
    public bool IsTarget { get; private set; }

    public SortedDictionary<string, TargetTree> Children { get; } = new(StringComparer.Ordinal);

    public static TargetTree Build(IEnumerable<string> absolutePaths)
    {
        var root = new TargetTree("/");
        foreach (var path in absolutePaths)
        {
            var node = root;
            foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (node.IsTarget)
                    break;
                if (!node.Children.TryGetValue(part, out var child))
                    node.Children[part] = child = new TargetTree(System.IO.Path.Combine(node.Path, part));
                node = child;
            }
            if (node != root)
            {
                node.IsTarget = true;
                node.Children.Clear();
            }
        }
        return root;
    }
}
