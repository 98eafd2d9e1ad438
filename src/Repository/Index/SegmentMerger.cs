namespace StashMount.Repository.Index;

/// <summary>Builds sorted segments: merging two, and dropping copies listed twice.</summary>
internal static class SegmentMerger
{
    /// <summary>Compacts sorted <paramref name="entries"/> in place, dropping exact duplicates; returns the new length.</summary>
    public static int RemoveExactDuplicates(Span<IndexEntry> entries)
    {
        if (entries.Length < 2)
            return entries.Length;
        var write = 1;
        for (var read = 1; read < entries.Length; read++)
            if (!entries[read].IsSameCopy(entries[write - 1]))
                entries[write++] = entries[read];
        return write;
    }

    public static IndexSegment Merge(IndexSegment older, IndexSegment newer)
    {
        var a = older.Entries;
        var b = newer.Entries;
        var merged = new IndexEntry[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
            merged[n++] = IndexEntry.CompareByKey(a[i], b[j]) <= 0 ? a[i++] : b[j++];
        while (i < a.Length) merged[n++] = a[i++];
        while (j < b.Length) merged[n++] = b[j++];
        n = RemoveExactDuplicates(merged);
        if (n != merged.Length)
            Array.Resize(ref merged, n);
        long distinct = 0;
        for (var k = 0; k < merged.Length; k++)
            if (k == 0 || merged[k - 1].CompareKey(merged[k].Id, merged[k].Type) != 0)
                distinct++;
        return new IndexSegment(merged, distinct);
    }
}
