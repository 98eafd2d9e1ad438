using StashMount.Repository;
using StashMount.Repository.Index;

namespace StashMount.Mount.Restore;

/// <summary>One ranged read of a pack: a run of blobs stored next to each other, fetched with a single request.</summary>
public sealed class PackRange
{
    public PackRange(ObjectId packId, IReadOnlyList<PackedBlob> blobs)
    {
        PackId = packId;
        Blobs = blobs;
        Offset = blobs[0].Offset;
        Length = checked((int)(blobs[^1].Offset + blobs[^1].Length - Offset));
    }

    public ObjectId PackId { get; }

    /// <summary>The blobs in pack order; each is in the range exactly once.</summary>
    public IReadOnlyList<PackedBlob> Blobs { get; }

    public long Offset { get; }

    public int Length { get; }

    /// <summary>
    /// Groups distinct blobs by pack (packs in the order they first appear) and cuts each pack's blobs (sorted by
    /// offset) into runs: a new run starts where the gap to the previous blob exceeds <paramref name="maxGap"/> or the
    /// run would exceed <paramref name="maxLength"/>. Reading a small gap costs less than another request.
    /// </summary>
    /// <remarks>
    /// One sort of one array, whose slices are the runs: the walk plans a batch of up to a thousand small files' blobs
    /// at a time, and grouping, ordering and growing a list per run (80-byte blobs: each list of a thousand a fresh
    /// large-object array) took about as long as the walk's own work on them.
    /// </remarks>
    public static List<PackRange> Plan(IReadOnlyList<PackedBlob> blobs, int maxGap = 64 * 1024, int maxLength = 32 * 1024 * 1024)
    {
        var packOrder = new Dictionary<ObjectId, int>();
        var seen = new HashSet<(ObjectId, BlobType)>(blobs.Count);
        var sorted = new PackedBlob[blobs.Count];
        var keys = new long[blobs.Count];
        var count = 0;
        foreach (var blob in blobs)
        {
            if (!seen.Add((blob.Id, blob.Type)))
                continue;
            if (!packOrder.TryGetValue(blob.PackId, out var pack))
                packOrder.Add(blob.PackId, pack = packOrder.Count);
            keys[count] = ((long)pack << 32) | blob.Offset;
            sorted[count++] = blob;
        }
        Array.Sort(keys, sorted, 0, count);
        var ranges = new List<PackRange>();
        for (var start = 0; start < count;)
        {
            var end = start + 1;
            var runEnd = sorted[start].Offset + (long)sorted[start].Length;
            for (; end < count && sorted[end].PackId == sorted[start].PackId; end++)
            {
                var blob = sorted[end];
                if (blob.Offset < runEnd || blob.Offset - runEnd > maxGap || blob.Offset + blob.Length - sorted[start].Offset > maxLength)
                    break;
                runEnd = blob.Offset + (long)blob.Length;
            }
            ranges.Add(new PackRange(sorted[start].PackId, new ArraySegment<PackedBlob>(sorted, start, end - start)));
            start = end;
        }
        return ranges;
    }
}
