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
    /// Groups distinct blobs by pack and cuts each pack's blobs (sorted by offset) into runs: a new run starts
    /// where the gap to the previous blob exceeds <paramref name="maxGap"/> or the run would exceed
    /// <paramref name="maxLength"/>. Reading a small gap costs less than another request.
    /// </summary>
    public static List<PackRange> Plan(IEnumerable<PackedBlob> blobs, int maxGap = 64 * 1024, int maxLength = 32 * 1024 * 1024)
    {
        var ranges = new List<PackRange>();
        foreach (var pack in blobs.DistinctBy(b => (b.Id, b.Type)).GroupBy(b => b.PackId))
        {
            var run = new List<PackedBlob>();
            long runEnd = 0;
            foreach (var blob in pack.OrderBy(b => b.Offset))
            {
                if (run.Count > 0 && (blob.Offset < runEnd || blob.Offset - runEnd > maxGap || blob.Offset + blob.Length - run[0].Offset > maxLength))
                {
                    ranges.Add(new PackRange(pack.Key, run));
                    run = [];
                }
                run.Add(blob);
                runEnd = blob.Offset + blob.Length;
            }
            if (run.Count > 0)
                ranges.Add(new PackRange(pack.Key, run));
        }
        return ranges;
    }
}
