namespace StashMount.Repository.Index;

/// <summary>
/// Every blob of the repository and where it is stored. Compact (struct arrays, not one object per blob)
/// so that tens of millions of blobs fit; safe for concurrent readers while new index files are added.
/// </summary>
public sealed class BlobIndex
{
    /// <summary>Number of distinct (id, type) entries, counting each copy once.</summary>
    public long Count => throw new NotImplementedException();

    public bool TryGet(ObjectId id, BlobType type, out PackedBlob blob) => throw new NotImplementedException();

    /// <summary>Every stored copy of the blob (a blob may be in several packs).</summary>
    public IReadOnlyList<PackedBlob> GetAll(ObjectId id, BlobType type) => throw new NotImplementedException();

    public bool Contains(ObjectId id, BlobType type) => TryGet(id, type, out _);

    /// <summary>Adds the blobs of one index file (or of a pack just written).</summary>
    public void Add(IReadOnlyList<PackedBlob> blobs) => throw new NotImplementedException();
}
