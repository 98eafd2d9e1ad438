namespace StashMount.Repository.Index;

/// <summary>
/// Every blob of the repository and where it is stored. Compact (struct arrays, not one object per blob)
/// so that tens of millions of blobs fit; safe for concurrent readers while new index files are added.
/// </summary>
/// <remarks>
/// Each <see cref="Add"/> becomes a sorted segment; segments are merged like a binomial heap (a segment is
/// merged into its predecessor while it is at least half that one's size), so a lookup searches at most
/// log2(n) segments and every entry is copied at most log2(n) times. Readers take the published state
/// without locking; writers build new segments aside and publish them with one reference write.
/// </remarks>
public sealed class BlobIndex
{
    private readonly Lock _writeLock = new();
    private IndexState _state = new(new PackIdTable(), [], 0);

    /// <summary>Number of distinct (id, type) entries, counting each copy once.</summary>
    public long Count => Volatile.Read(ref _state).Count;

    /// <summary>Number of stored copies (one blob in two packs counts twice).</summary>
    public long CopyCount
    {
        get
        {
            long n = 0;
            foreach (var segment in Volatile.Read(ref _state).Segments)
                n += segment.Count;
            return n;
        }
    }

    /// <summary>Number of distinct packs the entries refer to.</summary>
    public int PackCount => Volatile.Read(ref _state).Packs.Count;

    /// <summary>Bytes held by the index tables, for measurements and diagnostics.</summary>
    public long ApproximateBytes
    {
        get
        {
            lock (_writeLock)
            {
                var bytes = _state.Packs.ApproximateBytes;
                foreach (var segment in _state.Segments)
                    bytes += segment.ApproximateBytes;
                return bytes;
            }
        }
    }

    /// <summary>
    /// The blob's location. With several copies, the one in the pack this index learned of last: after a
    /// repack that is the pack that still exists.
    /// </summary>
    public bool TryGet(ObjectId id, BlobType type, out PackedBlob blob)
    {
        var state = Volatile.Read(ref _state);
        IndexEntry best = default;
        var found = false;
        foreach (var segment in state.Segments)
        {
            var matches = segment.Find(id, type);
            // Matches are ordered by pack number, so the last is the newest pack in this segment.
            if (!matches.IsEmpty && (!found || matches[^1].PackIndex > best.PackIndex))
            {
                best = matches[^1];
                found = true;
            }
        }
        blob = found ? state.ToPackedBlob(best) : default;
        return found;
    }

    /// <summary>Every stored copy of the blob (a blob may be in several packs), newest pack first.</summary>
    public IReadOnlyList<PackedBlob> GetAll(ObjectId id, BlobType type)
    {
        var state = Volatile.Read(ref _state);
        List<IndexEntry>? copies = null;
        foreach (var segment in state.Segments)
            foreach (var entry in segment.Find(id, type))
            {
                copies ??= new List<IndexEntry>(2);
                if (!copies.Exists(c => c.IsSameCopy(entry)))
                    copies.Add(entry);
            }
        if (copies is null)
            return [];
        copies.Sort((a, b) => b.PackIndex.CompareTo(a.PackIndex));
        return copies.ConvertAll(state.ToPackedBlob);
    }

    public bool Contains(ObjectId id, BlobType type)
    {
        foreach (var segment in Volatile.Read(ref _state).Segments)
            if (!segment.Find(id, type).IsEmpty)
                return true;
        return false;
    }

    /// <summary>Adds the blobs of one index file (or of a pack just written).</summary>
    public void Add(IReadOnlyList<PackedBlob> blobs)
    {
        if (blobs.Count == 0)
            return;
        lock (_writeLock)
        {
            var state = _state;
            var entries = new IndexEntry[blobs.Count];
            for (var i = 0; i < entries.Length; i++)
            {
                var b = blobs[i];
                entries[i] = new IndexEntry(b.Id, b.Type, state.Packs.Intern(b.PackId), b.Offset, b.Length, b.UncompressedLength);
            }
            entries.AsSpan().Sort(new IndexEntryComparer());
            var count = SegmentMerger.RemoveExactDuplicates(entries);
            if (count != entries.Length)
                Array.Resize(ref entries, count);

            long distinct = 0, newKeys = 0;
            for (var i = 0; i < entries.Length; i++)
            {
                if (i > 0 && entries[i - 1].CompareKey(entries[i].Id, entries[i].Type) == 0)
                    continue;
                distinct++;
                if (!IsIn(state.Segments, entries[i]))
                    newKeys++;
            }

            var segments = new List<IndexSegment>(state.Segments) { new(entries, distinct) };
            while (segments.Count >= 2 && segments[^2].Count <= 2L * segments[^1].Count)
            {
                var merged = SegmentMerger.Merge(segments[^2], segments[^1]);
                segments.RemoveRange(segments.Count - 2, 2);
                segments.Add(merged);
            }
            Volatile.Write(ref _state, new IndexState(state.Packs, segments.ToArray(), state.Count + newKeys));
        }
    }

    /// <summary>
    /// Takes over the contents of <paramref name="rebuilt"/> in one step (after index files were removed, e.g.
    /// by a prune): readers see either the old or the new contents, never a mix. <paramref name="rebuilt"/>
    /// must not be changed afterwards.
    /// </summary>
    public void ReplaceWith(BlobIndex rebuilt)
    {
        IndexState state;
        lock (rebuilt._writeLock)
            state = rebuilt._state;
        lock (_writeLock)
            Volatile.Write(ref _state, state);
    }

    private static bool IsIn(IndexSegment[] segments, in IndexEntry entry)
    {
        foreach (var segment in segments)
            if (!segment.Find(entry.Id, entry.Type).IsEmpty)
                return true;
        return false;
    }

    private readonly struct IndexEntryComparer : IComparer<IndexEntry>
    {
        public int Compare(IndexEntry x, IndexEntry y) => IndexEntry.CompareByKey(x, y);
    }
}
