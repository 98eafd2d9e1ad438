namespace StashMount.Repository.Index;

/// <summary>
/// Every blob of the repository and where it is stored. Compact (struct arrays, not one object per blob)
/// so that tens of millions of blobs fit; safe for concurrent readers while new index files are added.
/// </summary>
/// <remarks>
/// Each <see cref="Add"/> becomes a sorted segment; segments are merged like a binomial heap (a segment is
/// merged into its predecessor while it is at least half that one's size), so a lookup searches at most
/// log2(n) segments and every entry is copied at most log2(n) times. Readers take the published segment
/// array without locking; writers build new segments aside and publish them with one reference write.
/// </remarks>
public sealed class BlobIndex
{
    private readonly Lock _writeLock = new();
    private readonly PackIdTable _packs = new();
    private IndexSegment[] _segments = [];
    private long _count;

    /// <summary>Number of distinct (id, type) entries, counting each copy once.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Number of stored copies (one blob in two packs counts twice).</summary>
    public long CopyCount
    {
        get
        {
            long n = 0;
            foreach (var segment in Volatile.Read(ref _segments))
                n += segment.Count;
            return n;
        }
    }

    /// <summary>Bytes held by the index tables, for measurements and diagnostics.</summary>
    public long ApproximateBytes
    {
        get
        {
            lock (_writeLock)
            {
                var bytes = _packs.ApproximateBytes;
                foreach (var segment in _segments)
                    bytes += segment.ApproximateBytes;
                return bytes;
            }
        }
    }

    public bool TryGet(ObjectId id, BlobType type, out PackedBlob blob)
    {
        var segments = Volatile.Read(ref _segments);
        // Newest first: a pack just written by this process is the likeliest to be asked for again.
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            var found = segments[i].Find(id, type);
            if (!found.IsEmpty)
            {
                blob = ToPackedBlob(found[0]);
                return true;
            }
        }
        blob = default;
        return false;
    }

    /// <summary>Every stored copy of the blob (a blob may be in several packs).</summary>
    public IReadOnlyList<PackedBlob> GetAll(ObjectId id, BlobType type)
    {
        List<PackedBlob>? copies = null;
        var segments = Volatile.Read(ref _segments);
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            foreach (ref readonly var entry in segments[i].Find(id, type))
            {
                var copy = ToPackedBlob(entry);
                copies ??= new List<PackedBlob>(2);
                if (!copies.Exists(c => c.PackId == copy.PackId && c.Offset == copy.Offset))
                    copies.Add(copy);
            }
        }
        return copies ?? (IReadOnlyList<PackedBlob>)[];
    }

    public bool Contains(ObjectId id, BlobType type) => TryGet(id, type, out _);

    /// <summary>Adds the blobs of one index file (or of a pack just written).</summary>
    public void Add(IReadOnlyList<PackedBlob> blobs)
    {
        if (blobs.Count == 0)
            return;
        lock (_writeLock)
        {
            var entries = new IndexEntry[blobs.Count];
            for (var i = 0; i < entries.Length; i++)
            {
                var b = blobs[i];
                entries[i] = new IndexEntry(b.Id, b.Type, _packs.Intern(b.PackId), b.Offset, b.Length, b.UncompressedLength);
            }
            entries.AsSpan().Sort(new IndexEntryComparer());
            var count = SegmentMerger.RemoveExactDuplicates(entries);
            if (count != entries.Length)
                Array.Resize(ref entries, count);

            var published = _segments;
            long distinct = 0, newKeys = 0;
            for (var i = 0; i < entries.Length; i++)
            {
                if (i > 0 && entries[i - 1].CompareKey(entries[i].Id, entries[i].Type) == 0)
                    continue;
                distinct++;
                if (!IsIn(published, entries[i]))
                    newKeys++;
            }

            var segments = new List<IndexSegment>(published) { new(entries, distinct) };
            while (segments.Count >= 2 && segments[^2].Count <= 2L * segments[^1].Count)
            {
                var merged = SegmentMerger.Merge(segments[^2], segments[^1]);
                segments.RemoveRange(segments.Count - 2, 2);
                segments.Add(merged);
            }
            Volatile.Write(ref _segments, segments.ToArray());
            Volatile.Write(ref _count, _count + newKeys);
        }
    }

    private static bool IsIn(IndexSegment[] segments, in IndexEntry entry)
    {
        foreach (var segment in segments)
            if (!segment.Find(entry.Id, entry.Type).IsEmpty)
                return true;
        return false;
    }

    private PackedBlob ToPackedBlob(in IndexEntry e) =>
        new(e.Id, e.Type, _packs[e.PackIndex], e.Offset, e.Length, e.UncompressedLength);

    private readonly struct IndexEntryComparer : IComparer<IndexEntry>
    {
        public int Compare(IndexEntry x, IndexEntry y) => IndexEntry.CompareByKey(x, y);
    }
}
