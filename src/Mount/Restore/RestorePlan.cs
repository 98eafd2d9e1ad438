namespace StashMount.Mount.Restore;

/// <summary>
/// What the walk of the trees found: the nodes to create (in tree order) and the directories whose metadata is set
/// last (children first). File contents go to the <see cref="ContentRestorer"/> during the walk.
/// </summary>
public sealed class RestorePlan
{
    /// <summary>Non-directory items in tree order (hard links included, after the file they link to).</summary>
    public List<RestoreItem> Items { get; } = [];

    /// <summary>Selected directories, deepest first, so setting a directory's mtime comes after its children are written.</summary>
    public List<RestoreItem> DirectoriesChildrenFirst { get; } = [];

    public long TotalBytes { get; set; }

    public int FileCount { get; set; }
}
