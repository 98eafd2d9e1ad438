using System.Buffers;
using System.Buffers.Binary;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;
using static StashMount.Repository.Packs.PackFormat;

namespace StashMount.Repository.Writer;

/// <summary>
/// Collects encrypted blobs of one type into a pack: blobs back to back, then the encrypted header (one entry
/// per blob, in blob order) and its 4-byte little-endian length. The buffer is pooled; the finished pack is
/// handed to an uploader that returns it with <see cref="FinishedPack.Dispose"/>.
/// </summary>
internal sealed class PackBuilder
{
    private readonly List<(ObjectId Id, BlobType Type, uint Length, uint UncompressedLength)> _entries = [];
    private byte[] _buffer;
    private int _length;

    public PackBuilder(int initialCapacity) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>Bytes of blobs so far (the header comes on top).</summary>
    public int Length => _length;

    public int Count => _entries.Count;

    /// <summary>Appends one already encrypted blob; <paramref name="uncompressedLength"/> is 0 for an uncompressed blob.</summary>
    public uint Add(ObjectId id, BlobType type, ReadOnlySpan<byte> stored, uint uncompressedLength)
    {
        EnsureCapacity(_length + stored.Length);
        var offset = (uint)_length;
        stored.CopyTo(_buffer.AsSpan(_length));
        _length += stored.Length;
        _entries.Add((id, type, (uint)stored.Length, uncompressedLength));
        return offset;
    }

    /// <summary>Appends the encrypted header, hashes the pack and hands over the buffer. The builder is spent afterwards.</summary>
    public FinishedPack Finish(MasterKey key)
    {
        var headerPlainLength = 0;
        foreach (var e in _entries)
            headerPlainLength += e.UncompressedLength != 0 ? CompressedEntrySize : PlainEntrySize;
        var header = ArrayPool<byte>.Shared.Rent(headerPlainLength);
        try
        {
            var position = 0;
            foreach (var e in _entries)
            {
                var span = header.AsSpan(position);
                var compressed = e.UncompressedLength != 0;
                span[0] = e.Type == BlobType.Tree ? (compressed ? TreeCompressed : TreePlain) : (compressed ? DataCompressed : DataPlain);
                BinaryPrimitives.WriteUInt32LittleEndian(span[1..], e.Length);
                if (compressed)
                    BinaryPrimitives.WriteUInt32LittleEndian(span[5..], e.UncompressedLength);
                e.Id.CopyTo(span.Slice(compressed ? 9 : 5, ObjectId.Size));
                position += compressed ? CompressedEntrySize : PlainEntrySize;
            }
            var encryptedLength = AuthenticatedEncryption.CiphertextLength(headerPlainLength);
            EnsureCapacity(_length + encryptedLength + HeaderLengthSize);
            AuthenticatedEncryption.Encrypt(key, header.AsSpan(0, headerPlainLength), _buffer.AsSpan(_length, encryptedLength));
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length + encryptedLength), (uint)encryptedLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
        var total = _length + AuthenticatedEncryption.CiphertextLength(headerPlainLength) + HeaderLengthSize;
        var packId = ObjectId.Hash(_buffer.AsSpan(0, total));
        var blobs = new List<PackedBlob>(_entries.Count);
        uint offset = 0;
        foreach (var e in _entries)
        {
            blobs.Add(new PackedBlob(e.Id, e.Type, packId, offset, e.Length, e.UncompressedLength));
            offset += e.Length;
        }
        var buffer = _buffer;
        _buffer = [];
        return new FinishedPack(packId, buffer, total, blobs);
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
            return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
