using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StashMount.Repository;

/// <summary>
/// A SHA-256 ID of a blob, pack, tree, snapshot or index file. A 32-byte value type so that index tables
/// hold IDs inline instead of as strings or arrays.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 32)]
public readonly struct ObjectId : IEquatable<ObjectId>, IComparable<ObjectId>
{
    private readonly ulong _a, _b, _c, _d;

    public const int Size = 32;

    public ObjectId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
            throw new ArgumentException("an ID has 32 bytes", nameof(bytes));
        this = MemoryMarshal.Read<ObjectId>(bytes);
    }

    public static ObjectId Hash(ReadOnlySpan<byte> content)
    {
        Span<byte> digest = stackalloc byte[Size];
        System.Security.Cryptography.SHA256.HashData(content, digest);
        return new ObjectId(digest);
    }

    public static ObjectId Parse(string hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException($"'{hex}' is not a 64-digit hex ID");

    public static bool TryParse(ReadOnlySpan<char> hex, out ObjectId id)
    {
        id = default;
        if (hex.Length != 2 * Size)
            return false;
        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
            return false;
        id = new ObjectId(bytes);
        return true;
    }

    /// <summary>Parses 64 hex digits given as UTF-8 (as they sit in a JSON document), without allocating.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Hex, out ObjectId id)
    {
        id = default;
        if (utf8Hex.Length != 2 * Size)
            return false;
        Span<byte> bytes = stackalloc byte[Size];
        for (var i = 0; i < Size; i++)
        {
            int hi = HexValue(utf8Hex[2 * i]), lo = HexValue(utf8Hex[2 * i + 1]);
            if ((hi | lo) < 0)
                return false;
            bytes[i] = (byte)((hi << 4) | lo);
        }
        id = new ObjectId(bytes);
        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    public void CopyTo(Span<byte> destination) => MemoryMarshal.Write(destination, in this);

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>The first byte, used to pick index buckets and the data/xx folder.</summary>
    public byte FirstByte => (byte)_a;

    /// <summary>The first 4 bytes read big-endian: orders like the ID and picks hash-table buckets.</summary>
    public uint LeadingUInt32 => BinaryPrimitives.ReverseEndianness((uint)_a);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>restic's short form: the first 8 hex digits.</summary>
    public string ToShortString() => ToString()[..8];

    public bool Equals(ObjectId other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is ObjectId other && Equals(other);

    // SHA-256 output is uniformly distributed, so any 4 bytes make a good hash.
    public override int GetHashCode() => (int)_b;

    public int CompareTo(ObjectId other)
    {
        // Byte order (as hex strings sort), not the little-endian order of the fields.
        var c = BinaryPrimitives.ReverseEndianness(_a).CompareTo(BinaryPrimitives.ReverseEndianness(other._a));
        if (c != 0) return c;
        c = BinaryPrimitives.ReverseEndianness(_b).CompareTo(BinaryPrimitives.ReverseEndianness(other._b));
        if (c != 0) return c;
        c = BinaryPrimitives.ReverseEndianness(_c).CompareTo(BinaryPrimitives.ReverseEndianness(other._c));
        if (c != 0) return c;
        return BinaryPrimitives.ReverseEndianness(_d).CompareTo(BinaryPrimitives.ReverseEndianness(other._d));
    }

    public static bool operator ==(ObjectId left, ObjectId right) => left.Equals(right);

    public static bool operator !=(ObjectId left, ObjectId right) => !left.Equals(right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsZero() => (_a | _b | _c | _d) == 0;
}
