namespace StashMount.Repository.Index;

/// <summary>
/// Where one blob lives: its pack, the offset and length of its encrypted (possibly compressed) bytes in
/// that pack, and — for a compressed blob only — its plaintext length (0 when stored uncompressed).
/// </summary>
public readonly record struct PackedBlob(ObjectId Id, BlobType Type, ObjectId PackId, uint Offset, uint Length, uint UncompressedLength)
{
    public bool IsCompressed => UncompressedLength != 0;

    /// <summary>The plaintext size of the blob.</summary>
    public uint PlaintextLength => IsCompressed ? UncompressedLength : Length - Crypto.CryptoConstants.Overhead;
}
