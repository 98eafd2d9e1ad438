namespace StashMount.Repository.Packs;

/// <summary>
/// The layout of a pack file: encrypted blobs back to back, then the encrypted header listing them, then the
/// header's length as a little-endian uint32 (the length counts the header's IV and MAC, not itself).
/// </summary>
public static class PackFormat
{
    public const int HeaderLengthSize = 4;

    /// <summary>Header entry of an uncompressed blob: type byte, stored length, ID.</summary>
    public const int PlainEntrySize = 1 + 4 + ObjectId.Size;

    /// <summary>Header entry of a compressed blob: type byte, stored length, plaintext length, ID.</summary>
    public const int CompressedEntrySize = 1 + 4 + 4 + ObjectId.Size;

    /// <summary>restic's limit on the encrypted header plus its length field.</summary>
    public const int MaxHeaderSize = 16 * 1024 * 1024 + HeaderLengthSize;

    /// <summary>The smallest valid pack: one plain entry, the header's crypto overhead and the length field.</summary>
    public const int MinPackSize = PlainEntrySize + Crypto.CryptoConstants.Overhead + HeaderLengthSize;

    /// <summary>How many trailing bytes to read first: enough for the header of a pack with up to 15 blobs.</summary>
    public const int EagerReadSize = 15 * CompressedEntrySize + Crypto.CryptoConstants.Overhead + HeaderLengthSize;

    /// <summary>Header entry type bytes.</summary>
    public const byte DataPlain = 0, TreePlain = 1, DataCompressed = 2, TreeCompressed = 3;
}
