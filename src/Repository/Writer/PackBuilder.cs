using System.Buffers;
using System.Buffers.Binary;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;
using static StashMount.Repository.Packs.PackFormat;

namespace StashMount.Repository.Writer;

/// <summary>
/// Collects encrypted blobs of one type into a pack: blobs back to back, then the encrypted header (one entry
/// per blob, in blob order) and its 4-byte little-endian length. The buffer is page-aligned and pooled
/// (<see cref="PageBufferPool"/>), so a local backend can write it with O_DIRECT; the finished pack is handed to
/// an uploader that returns it with <see cref="FinishedPack.Dispose"/>.
/// </summary>
/// <remarks>
/// Encoders encrypt straight into the pack: <see cref="Reserve"/> (under the writer's lock) hands out a region
/// of the buffer, filled outside the lock, and <see cref="EndWrite"/> reports it filled. The buffer never
/// moves while regions are out, so a blob that does not fit belongs in the next pack. A pack is finished once
/// it is sealed and its last region is filled, by whichever of the two happens last.
/// </remarks>
internal sealed class PackBuilder
{
    private readonly List<(ObjectId Id, BlobType Type, uint Length, uint UncompressedLength)> _entries = [];
    private readonly Lock _writes = new();
    private PageBuffer? _buffer;
    private int _length;
    private int _openWrites;
    private bool _sealed;

    /// <param name="capacity">Bytes the pack may reach without moving its buffer.</param>
    /// <param name="expected">Bytes it usually reaches (the target pack size): only those are populated at once, the
    /// slack for one more blob of the largest chunk only where a pack reaches it.</param>
    public PackBuilder(int capacity, int expected = int.MaxValue) => _buffer = PageBufferPool.Rent(capacity, expected);

    private PageBuffer Buffer => _buffer ?? throw new InvalidOperationException("the pack was already finished");

    /// <summary>Bytes of blobs so far (the header comes on top).</summary>
    public int Length => _length;

    public int Count => _entries.Count;

    /// <summary>Whether a blob of <paramref name="storedLength"/> bytes still fits without moving the buffer.</summary>
    public bool Fits(int storedLength) => _length + storedLength <= Buffer.Capacity;

    /// <summary>
    /// Appends an entry and returns the region its stored bytes go to; <paramref name="uncompressedLength"/> is 0
    /// for an uncompressed blob. Call <see cref="EndWrite"/> once the region is filled.
    /// </summary>
    public Memory<byte> Reserve(ObjectId id, BlobType type, int storedLength, uint uncompressedLength)
    {
        if (!Fits(storedLength))
            throw new InvalidOperationException("the blob does not fit into the pack");
        var region = Buffer.Memory.Slice(_length, storedLength);
        _length += storedLength;
        _entries.Add((id, type, (uint)storedLength, uncompressedLength));
        lock (_writes)
            _openWrites++;
        return region;
    }

    /// <summary>A reserved region is filled. Returns true when the pack is sealed and complete: the caller finishes it.</summary>
    public bool EndWrite()
    {
        lock (_writes)
            return --_openWrites == 0 && _sealed;
    }

    /// <summary>No more blobs go in. Returns true when no region is still being filled: the caller finishes the pack.</summary>
    public bool Seal()
    {
        lock (_writes)
        {
            _sealed = true;
            return _openWrites == 0;
        }
    }

    /// <summary>Appends one already encrypted blob; <paramref name="uncompressedLength"/> is 0 for an uncompressed blob.</summary>
    public void Add(ObjectId id, BlobType type, ReadOnlySpan<byte> stored, uint uncompressedLength)
    {
        EnsureCapacity(_length + stored.Length);
        stored.CopyTo(Reserve(id, type, stored.Length, uncompressedLength).Span);
        EndWrite();
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
            var pack = Buffer.GetSpan();
            AuthenticatedEncryption.Encrypt(key, header.AsSpan(0, headerPlainLength), pack.Slice(_length, encryptedLength));
            BinaryPrimitives.WriteUInt32LittleEndian(pack[(_length + encryptedLength)..], (uint)encryptedLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
        var total = _length + AuthenticatedEncryption.CiphertextLength(headerPlainLength) + HeaderLengthSize;
        var packId = ObjectId.Hash(Buffer.GetSpan()[..total]);
        var blobs = new List<PackedBlob>(_entries.Count);
        uint offset = 0;
        foreach (var e in _entries)
        {
            blobs.Add(new PackedBlob(e.Id, e.Type, packId, offset, e.Length, e.UncompressedLength));
            offset += e.Length;
        }
        var buffer = Buffer;
        _buffer = null;
        return new FinishedPack(packId, buffer, total, blobs);
    }

    /// <summary>Gives the buffer back without finishing the pack (the writer failed or was disposed unflushed).</summary>
    public void Abandon()
    {
        if (_buffer is { } buffer)
            PageBufferPool.Return(buffer);
        _buffer = null;
    }

    private void EnsureCapacity(int needed)
    {
        var current = Buffer;
        if (needed <= current.Capacity)
            return;
        var bigger = PageBufferPool.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * current.Capacity)));
        current.GetSpan()[.._length].CopyTo(bigger.GetSpan());
        PageBufferPool.Return(current);
        _buffer = bigger;
    }
}
