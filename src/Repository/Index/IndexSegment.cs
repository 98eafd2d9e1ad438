namespace StashMount.Repository.Index;

/// <summary>
/// An immutable, sorted run of index entries. IDs are SHA-256 values and so spread evenly: a table of
/// bucket starts on the leading bits of the ID narrows a lookup to a few dozen entries, then a binary search
/// finishes it. The table costs about one byte per entry.
/// </summary>
internal sealed class IndexSegment
{
    private const int EntriesPerBucket = 16;
    private const int MaxBucketBits = 22;

    private readonly IndexEntry[] _entries;
    private readonly int[] _bucketStarts;
    private readonly int _bucketShift;

    /// <param name="entries">Sorted by <see cref="IndexEntry.CompareByKey"/>, without exact duplicates; owned by the segment.</param>
    /// <param name="distinctKeys">How many different (id, type) keys <paramref name="entries"/> holds.</param>
    public IndexSegment(IndexEntry[] entries, long distinctKeys)
    {
        _entries = entries;
        DistinctKeys = distinctKeys;
        var bits = 0;
        while (bits < MaxBucketBits && ((long)EntriesPerBucket << (bits + 1)) <= entries.Length)
            bits++;
        _bucketShift = 32 - bits;
        _bucketStarts = new int[(1 << bits) + 1];
        var bucket = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var b = BucketOf(entries[i].Id);
            while (bucket <= b)
                _bucketStarts[bucket++] = i;
        }
        while (bucket < _bucketStarts.Length)
            _bucketStarts[bucket++] = entries.Length;
    }

    public int Count => _entries.Length;

    public long DistinctKeys { get; }

    public ReadOnlySpan<IndexEntry> Entries => _entries;

    public long ApproximateBytes => (long)_entries.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<IndexEntry>() + (long)_bucketStarts.Length * sizeof(int);

    private int BucketOf(in ObjectId id) => _bucketShift == 32 ? 0 : (int)(id.LeadingUInt32 >> _bucketShift);

    /// <summary>The entries with this key (several when the blob is stored in several packs).</summary>
    public ReadOnlySpan<IndexEntry> Find(in ObjectId id, BlobType type)
    {
        var bucket = BucketOf(id);
        int lo = _bucketStarts[bucket], hi = _bucketStarts[bucket + 1];
        // Lower bound: first entry whose key is not below the wanted key.
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_entries[mid].CompareKey(id, type) < 0) lo = mid + 1;
            else hi = mid;
        }
        var end = lo;
        while (end < _entries.Length && _entries[end].CompareKey(id, type) == 0)
            end++;
        return _entries.AsSpan(lo, end - lo);
    }
}
