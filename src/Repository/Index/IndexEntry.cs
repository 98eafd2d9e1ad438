using System.Runtime.InteropServices;

namespace StashMount.Repository.Index;

/// <summary>
/// One blob location as stored in the index tables: 48 bytes, no references, so tens of millions of
/// entries cost no GC work. The pack is an index into <see cref="PackIdTable"/>; the blob type rides in the
/// top bit of that index to keep the entry at 48 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct IndexEntry
{
    private const uint TypeBit = 1u << 31;

    public readonly ObjectId Id;
    private readonly uint _packAndType;
    public readonly uint Offset;
    public readonly uint Length;
    public readonly uint UncompressedLength;

    /// <summary>Largest pack number an entry can hold.</summary>
    public const int MaxPackIndex = int.MaxValue;

    public IndexEntry(ObjectId id, BlobType type, int packIndex, uint offset, uint length, uint uncompressedLength)
    {
        Id = id;
        _packAndType = (uint)packIndex | (type == BlobType.Tree ? TypeBit : 0);
        Offset = offset;
        Length = length;
        UncompressedLength = uncompressedLength;
    }

    public BlobType Type => (_packAndType & TypeBit) != 0 ? BlobType.Tree : BlobType.Data;

    public int PackIndex => (int)(_packAndType & ~TypeBit);

    /// <summary>Orders by ID bytes, then type: the key the segments are sorted on.</summary>
    public int CompareKey(in ObjectId id, BlobType type)
    {
        var c = Id.CompareTo(id);
        return c != 0 ? c : Type.CompareTo(type);
    }

    public static int CompareByKey(IndexEntry x, IndexEntry y)
    {
        var c = x.CompareKey(y.Id, y.Type);
        if (c != 0) return c;
        c = x.PackIndex.CompareTo(y.PackIndex);
        return c != 0 ? c : x.Offset.CompareTo(y.Offset);
    }

    /// <summary>Same blob at the same place: an exact duplicate (overlapping index files list packs twice).</summary>
    public bool IsSameCopy(in IndexEntry other) =>
        Id == other.Id && _packAndType == other._packAndType && Offset == other.Offset;
}
