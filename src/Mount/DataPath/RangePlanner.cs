using StashMount.Repository.Index;

namespace StashMount.Mount.DataPath;

/// <summary>
/// Groups blobs into as few range requests as sensible: blobs of one pack that lie close together (gap at most
/// <c>maxGap</c> bytes) are read in one request, up to <c>maxRequest</c> bytes so that big runs still go in parallel.
/// Reading a small gap costs less than a second round trip.
/// </summary>
public static class RangePlanner
{
    public static List<PackRange> Plan(IEnumerable<PackedBlob> blobs, int maxGap, int maxRequest)
    {
        var ranges = new List<PackRange>();
        foreach (var pack in blobs.GroupBy(b => b.PackId))
        {
            var sorted = pack.DistinctBy(b => b.Offset).OrderBy(b => b.Offset).ToList();
            var run = new List<PackedBlob>();
            long start = 0, end = 0;
            foreach (var blob in sorted)
            {
                var blobEnd = (long)blob.Offset + blob.Length;
                if (run.Count > 0 && (blob.Offset - end > maxGap || blobEnd - start > maxRequest))
                {
                    ranges.Add(new PackRange(pack.Key, start, (int)(end - start), run));
                    run = [];
                }
                if (run.Count == 0)
                {
                    start = blob.Offset;
                    end = blobEnd;
                }
                else
                {
                    end = Math.Max(end, blobEnd);
                }
                run.Add(blob);
            }
            if (run.Count > 0)
                ranges.Add(new PackRange(pack.Key, start, (int)(end - start), run));
        }
        return ranges;
    }
}
