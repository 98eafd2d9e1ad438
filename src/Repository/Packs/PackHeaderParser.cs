using System.Buffers.Binary;
using StashMount.Repository.Index;

namespace StashMount.Repository.Packs;

/// <summary>Reads a pack's trailer and its decrypted header into the blobs the pack holds, with their offsets.</summary>
public static class PackHeaderParser
{
    /// <summary>
    /// The encrypted header's length from the last 4 bytes of the pack (<paramref name="tail"/> ends where the
    /// file ends), checked against the file size as restic checks it.
    /// </summary>
    public static int ReadHeaderLength(ReadOnlySpan<byte> tail, long packSize, ObjectId packId)
    {
        if (packSize < PackFormat.MinPackSize)
            throw new IntegrityException($"pack {packId}: file of {packSize} bytes is too short to be a pack");
        if (tail.Length < PackFormat.HeaderLengthSize)
            throw new ArgumentException("the tail must hold the length field", nameof(tail));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(tail[^PackFormat.HeaderLengthSize..]);
        if (length < Crypto.CryptoConstants.Overhead || length > packSize - PackFormat.HeaderLengthSize
            || length > PackFormat.MaxHeaderSize - PackFormat.HeaderLengthSize)
            throw new IntegrityException($"pack {packId}: invalid header length {length} for a file of {packSize} bytes");
        return (int)length;
    }

    /// <summary>Parses the decrypted header; offsets follow from the stored lengths, starting at 0.</summary>
    public static List<PackedBlob> Parse(ReadOnlySpan<byte> header, ObjectId packId)
    {
        var blobs = new List<PackedBlob>(header.Length / PackFormat.PlainEntrySize);
        long offset = 0;
        var position = 0;
        while (position < header.Length)
        {
            var type = header[position];
            var compressed = type is PackFormat.DataCompressed or PackFormat.TreeCompressed;
            if (type > PackFormat.TreeCompressed)
                throw new IntegrityException($"pack {packId}: invalid blob type {type} in header entry {blobs.Count}");
            var size = compressed ? PackFormat.CompressedEntrySize : PackFormat.PlainEntrySize;
            if (header.Length - position < size)
                throw new IntegrityException($"pack {packId}: header ends inside entry {blobs.Count}");
            var entry = header.Slice(position, size);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(entry[1..]);
            var uncompressed = compressed ? BinaryPrimitives.ReadUInt32LittleEndian(entry[5..]) : 0u;
            var id = new ObjectId(entry[^ObjectId.Size..]);
            if (offset > uint.MaxValue)
                throw new IntegrityException($"pack {packId}: blob {id} starts beyond 4 GiB");
            var blobType = type is PackFormat.TreePlain or PackFormat.TreeCompressed ? BlobType.Tree : BlobType.Data;
            blobs.Add(new PackedBlob(id, blobType, packId, (uint)offset, length, uncompressed));
            offset += length;
            position += size;
        }
        return blobs;
    }

    /// <summary>The pack size its header implies: blobs, header entries, header overhead and length field.</summary>
    public static long ExpectedPackSize(IReadOnlyList<PackedBlob> blobs)
    {
        long size = Crypto.CryptoConstants.Overhead + PackFormat.HeaderLengthSize;
        foreach (var b in blobs)
            size += b.Length + (b.IsCompressed ? PackFormat.CompressedEntrySize : PackFormat.PlainEntrySize);
        return size;
    }
}
