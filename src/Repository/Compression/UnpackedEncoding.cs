using System.Buffers;

namespace StashMount.Repository.Compression;

/// <summary>
/// The plaintext framing of "unpacked" files (snapshots, index, locks) in format v2: a version byte 2
/// followed by one zstd frame of the JSON; a first byte of '{' or '[' means raw JSON (v1, or older writers).
/// </summary>
public static class UnpackedEncoding
{
    public const byte CompressedMarker = 2;

    /// <summary>The JSON document of a decrypted unpacked file (the input itself when not compressed).</summary>
    public static byte[] Decode(byte[] plaintext, int repositoryVersion, string description)
    {
        if (plaintext.Length == 0 || repositoryVersion < 2)
            return plaintext;
        return plaintext[0] switch
        {
            CompressedMarker => Zstd.Decompress(plaintext.AsSpan(1), description),
            (byte)'{' or (byte)'[' => plaintext,
            var other => throw new IntegrityException($"{description}: unsupported encoding version {other}"),
        };
    }

    /// <summary>
    /// Like <see cref="Decode"/>, but a compressed document is inflated into an array rented from <paramref name="pool"/>
    /// (<paramref name="rented"/>, null when nothing was rented), which the caller returns once it has parsed the JSON.
    /// </summary>
    public static ReadOnlySpan<byte> DecodePooled(ReadOnlySpan<byte> plaintext, int repositoryVersion, string description, ArrayPool<byte> pool, out byte[]? rented)
    {
        rented = null;
        if (plaintext.Length == 0 || repositoryVersion < 2)
            return plaintext;
        return plaintext[0] switch
        {
            CompressedMarker => Zstd.DecompressPooled(plaintext[1..], description, pool, out rented),
            (byte)'{' or (byte)'[' => plaintext,
            var other => throw new IntegrityException($"{description}: unsupported encoding version {other}"),
        };
    }

    /// <summary>The plaintext to encrypt for a JSON document: compressed with the marker byte in v2, as is in v1.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> json, int repositoryVersion, int level = Zstd.AutoLevel)
    {
        if (repositoryVersion < 2)
            return json.ToArray();
        var buffer = new byte[1 + Zstd.CompressBound(json.Length)];
        buffer[0] = CompressedMarker;
        var length = Zstd.Compress(json, buffer.AsSpan(1), level);
        return buffer.AsSpan(0, 1 + length).ToArray();
    }
}
