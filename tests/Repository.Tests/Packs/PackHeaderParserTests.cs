using System.Buffers.Binary;
using StashMount.Repository.Packs;

namespace StashMount.Repository.Tests.Packs;

public sealed class PackHeaderParserTests
{
    private static readonly ObjectId PackId = ObjectId.Hash("pack"u8);

    private static byte[] Entry(byte type, uint length, uint? uncompressed, ObjectId id)
    {
        var entry = new byte[uncompressed is null ? PackFormat.PlainEntrySize : PackFormat.CompressedEntrySize];
        entry[0] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(1), length);
        if (uncompressed is { } u)
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(5), u);
        id.CopyTo(entry.AsSpan(entry.Length - ObjectId.Size));
        return entry;
    }

    [Fact]
    public void ParsesPlainAndCompressedEntriesWithCumulativeOffsets()
    {
        ObjectId a = ObjectId.Hash("a"u8), b = ObjectId.Hash("b"u8), c = ObjectId.Hash("c"u8), d = ObjectId.Hash("d"u8);
        byte[] header = [.. Entry(3, 410, 811, a), .. Entry(1, 434, null, b), .. Entry(0, 50, null, c), .. Entry(2, 60, 1000, d)];
        var blobs = PackHeaderParser.Parse(header, PackId);
        Assert.Equal(
        [
            new(a, BlobType.Tree, PackId, 0, 410, 811),
            new(b, BlobType.Tree, PackId, 410, 434, 0),
            new(c, BlobType.Data, PackId, 844, 50, 0),
            new(d, BlobType.Data, PackId, 894, 60, 1000),
        ], blobs);
        // Blobs, then one entry per blob, the header's IV and MAC, and the length field.
        Assert.Equal(894 + 60 + 32 + 4 + 2 * 41 + 2 * 37, PackHeaderParser.ExpectedPackSize(blobs));
    }

    [Fact]
    public void RejectsUnknownTypesAndTruncatedEntries()
    {
        var id = ObjectId.Hash("x"u8);
        Assert.Contains("invalid blob type 4", Assert.Throws<IntegrityException>(() => PackHeaderParser.Parse(Entry(4, 40, null, id), PackId)).Message);
        Assert.Contains("header ends inside entry 1", Assert.Throws<IntegrityException>(() => PackHeaderParser.Parse([.. Entry(0, 40, null, id), .. Entry(2, 40, 9, id)[..40]], PackId)).Message);
        Assert.Empty(PackHeaderParser.Parse([], PackId));
    }

    [Theory]
    [InlineData(155u, 1253L, true)]
    [InlineData(0u, 1253L, false)]
    [InlineData(31u, 1253L, false)]
    [InlineData(1250u, 1253L, false)]
    [InlineData(1249u, 1253L, true)]
    [InlineData(155u, 72L, false)]
    [InlineData(16u * 1024 * 1024 + 1, 100_000_000L, false)]
    public void ChecksTheHeaderLength(uint stored, long packSize, bool valid)
    {
        var tail = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(tail.AsSpan(4), stored);
        if (valid)
            Assert.Equal((int)stored, PackHeaderParser.ReadHeaderLength(tail, packSize, PackId));
        else
            Assert.Throws<IntegrityException>(() => PackHeaderParser.ReadHeaderLength(tail, packSize, PackId));
    }
}
