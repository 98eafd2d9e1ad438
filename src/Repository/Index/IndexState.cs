namespace StashMount.Repository.Index;

/// <summary>
/// What a <see cref="BlobIndex"/> reader sees: the pack table and the segments, published together so a
/// reader never mixes the segments of one generation with the pack numbers of another.
/// </summary>
internal sealed class IndexState(PackIdTable packs, IndexSegment[] segments, long count)
{
    public PackIdTable Packs { get; } = packs;

    public IndexSegment[] Segments { get; } = segments;

    /// <summary>Distinct (id, type) keys over all segments.</summary>
    public long Count { get; } = count;

    public PackedBlob ToPackedBlob(IndexEntry e) =>
        new(e.Id, e.Type, Packs[e.PackIndex], e.Offset, e.Length, e.UncompressedLength);
}
