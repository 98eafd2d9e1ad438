using StashMount.Repository;

namespace StashMount.Mount.Restore;

/// <summary>
/// Everything a restore does, worked out from the trees before any content is read: the nodes to create (in
/// tree order), the directories whose metadata is set last (children first), and for every needed data blob
/// the places its bytes go.
/// </summary>
public sealed class RestorePlan
{
    /// <summary>Non-directory items in tree order (hard links included, after the file they link to).</summary>
    public List<RestoreItem> Items { get; } = [];

    /// <summary>Selected directories, deepest first, so setting a directory's mtime comes after its children are written.</summary>
    public List<RestoreItem> DirectoriesChildrenFirst { get; } = [];

    /// <summary>Per data blob, each file position that needs it.</summary>
    public Dictionary<ObjectId, List<BlobTarget>> BlobTargets { get; } = [];

    public long TotalBytes { get; set; }

    public int FileCount { get; set; }
}
