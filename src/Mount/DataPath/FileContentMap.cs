using StashMount.Repository;

namespace StashMount.Mount.DataPath;

/// <summary>
/// Where each byte of a file comes from: the file's blobs in order with their start offsets, so the blob holding
/// any offset is found by binary search instead of a scan from the start (which made huge files quadratic).
/// </summary>
public sealed class FileContentMap
{
    private readonly ObjectId[] _blobs;
    private readonly long[] _starts; // _starts[i] = offset of blob i; _starts[^1] = file length

    public FileContentMap(ObjectId[] blobs, long[] starts)
    {
        if (starts.Length != blobs.Length + 1)
            throw new ArgumentException("one start per blob plus the end", nameof(starts));
        _blobs = blobs;
        _starts = starts;
    }

    /// <summary>Builds the map from the blob IDs and a way to learn each blob's plaintext length.</summary>
    public static FileContentMap Build(IReadOnlyList<ObjectId> content, Func<ObjectId, long> plaintextLength)
    {
        var blobs = new ObjectId[content.Count];
        var starts = new long[content.Count + 1];
        long at = 0;
        for (var i = 0; i < blobs.Length; i++)
        {
            blobs[i] = content[i];
            starts[i] = at;
            at += plaintextLength(content[i]);
        }
        starts[^1] = at;
        return new FileContentMap(blobs, starts);
    }

    public long Length => _starts[^1];

    public int BlobCount => _blobs.Length;

    public ObjectId BlobAt(int index) => _blobs[index];

    public long StartOf(int index) => _starts[index];

    public long LengthOf(int index) => _starts[index + 1] - _starts[index];

    /// <summary>The index of the blob that holds byte <paramref name="offset"/> (0 ≤ offset &lt; Length).</summary>
    public int IndexOf(long offset)
    {
        var i = Array.BinarySearch(_starts, 0, _blobs.Length, offset);
        if (i < 0)
            i = ~i - 1;
        // Empty blobs share their start with the next one: skip forward to the one that has the byte.
        while (i + 1 < _blobs.Length && _starts[i + 1] <= offset)
            i++;
        return i;
    }
}
