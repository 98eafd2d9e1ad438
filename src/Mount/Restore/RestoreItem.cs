using StashMount.Repository.Trees;

namespace StashMount.Mount.Restore;

/// <summary>One node to restore: where it goes on disk and where it was in the snapshot.</summary>
public sealed class RestoreItem(string snapshotPath, string targetPath, Node node)
{
    public string SnapshotPath { get; } = snapshotPath;

    public string TargetPath { get; } = targetPath;

    public Node Node { get; } = node;

    /// <summary>For a regular file: what its directory gives a file created in it (set by the planner).</summary>
    internal NewFileDefaults? Defaults { get; set; }

    /// <summary>For a regular file whose content is restored: how its blobs are written.</summary>
    public TargetFile? Content { get; set; }

    /// <summary>Set when the metadata was already set through an open descriptor, so the path-based pass skips it.</summary>
    public bool MetadataApplied { get; set; }

    /// <summary>Set once an error was reported for this item, so it is reported once and its metadata is left alone.</summary>
    public volatile bool Failed;
}
