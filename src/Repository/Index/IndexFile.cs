namespace StashMount.Repository.Index;

/// <summary>A decoded index file: the blobs it locates and the older index files it says it replaces.</summary>
public sealed record IndexFile(IReadOnlyList<PackedBlob> Blobs, IReadOnlyList<ObjectId> Supersedes)
{
    /// <summary>True when the file used the legacy format (a bare array of packs).</summary>
    public bool IsLegacyFormat { get; init; }
}
