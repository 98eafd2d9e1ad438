using System.Text.Json;
using StashMount.Repository.Json;

namespace StashMount.Repository.Index;

/// <summary>
/// Parses an index file's JSON (after decryption and decompression) in one forward pass without building a
/// DOM: {"supersedes":[ids],"packs":[{"id":…,"blobs":[{"id","type","offset","length","uncompressed_length"}]}]},
/// and the legacy form that is only the packs array (restic up to 0.17 still reads it). Unknown members are skipped.
/// </summary>
public static class IndexFileParser
{
    /// <param name="json">The plaintext JSON.</param>
    /// <param name="name">Names the file in error messages, e.g. "index/1a2b…".</param>
    /// <param name="expectedBlobs">How many blobs to make room for at once (a hint; the list grows past it).</param>
    public static IndexFile Parse(ReadOnlySpan<byte> json, string name, int expectedBlobs = 0)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            JsonReading.Read(ref reader);
            var blobs = new List<PackedBlob>(expectedBlobs);
            var supersedes = new List<ObjectId>();
            var legacy = reader.TokenType == JsonTokenType.StartArray;
            if (legacy)
            {
                ReadPacks(ref reader, blobs);
            }
            else
            {
                JsonReading.Expect(ref reader, JsonTokenType.StartObject);
                while (JsonReading.NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("packs"u8))
                    {
                        if (JsonReading.ReadArrayOrNull(ref reader))
                            ReadPacks(ref reader, blobs);
                    }
                    else if (reader.ValueTextEquals("supersedes"u8))
                    {
                        if (JsonReading.ReadArrayOrNull(ref reader))
                            while (JsonReading.NextElement(ref reader))
                                supersedes.Add(JsonReading.GetObjectId(ref reader));
                    }
                    else
                    {
                        JsonReading.SkipValue(ref reader);
                    }
                }
            }
            if (reader.Read())
                throw new JsonException("data after the end of the document");
            return new IndexFile(blobs, supersedes) { IsLegacyFormat = legacy };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new IntegrityException($"{name}: invalid index: {e.Message}", e);
        }
    }

    /// <summary>Reader is on the packs array's start.</summary>
    private static void ReadPacks(ref Utf8JsonReader reader, List<PackedBlob> blobs)
    {
        while (JsonReading.NextElement(ref reader))
        {
            JsonReading.Expect(ref reader, JsonTokenType.StartObject);
            ObjectId? packId = null;
            var firstBlob = blobs.Count;
            var idAfterBlobs = false;
            while (JsonReading.NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    packId = JsonReading.ReadObjectId(ref reader);
                }
                else if (reader.ValueTextEquals("blobs"u8))
                {
                    idAfterBlobs = packId is null;
                    if (JsonReading.ReadArrayOrNull(ref reader))
                        while (JsonReading.NextElement(ref reader))
                            blobs.Add(ReadBlob(ref reader, packId ?? default));
                }
                else
                {
                    JsonReading.SkipValue(ref reader);
                }
            }
            if (packId is not { } pack)
                throw new JsonException("a pack has no id");
            // Member order is free in JSON: blobs read before the pack's id get it now.
            if (idAfterBlobs)
                for (var i = firstBlob; i < blobs.Count; i++)
                    blobs[i] = blobs[i] with { PackId = pack };
        }
    }

    private static PackedBlob ReadBlob(ref Utf8JsonReader reader, ObjectId packId)
    {
        JsonReading.Expect(ref reader, JsonTokenType.StartObject);
        ObjectId? id = null;
        BlobType? type = null;
        uint offset = 0, length = 0, uncompressed = 0;
        var hasLength = false;
        while (JsonReading.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8))
                id = JsonReading.ReadObjectId(ref reader);
            else if (reader.ValueTextEquals("type"u8))
                type = ReadBlobType(ref reader);
            else if (reader.ValueTextEquals("offset"u8))
                offset = JsonReading.ReadUInt32(ref reader);
            else if (reader.ValueTextEquals("length"u8))
            {
                length = JsonReading.ReadUInt32(ref reader);
                hasLength = true;
            }
            else if (reader.ValueTextEquals("uncompressed_length"u8))
                uncompressed = JsonReading.ReadUInt32(ref reader);
            else
                JsonReading.SkipValue(ref reader);
        }
        if (id is not { } blobId)
            throw new JsonException("a blob has no id");
        if (type is not { } blobType)
            throw new JsonException($"blob {blobId} has no type");
        if (!hasLength || length < Crypto.CryptoConstants.Overhead)
            throw new JsonException($"blob {blobId} has an invalid length {length}");
        return new PackedBlob(blobId, blobType, packId, offset, length, uncompressed);
    }

    private static BlobType ReadBlobType(ref Utf8JsonReader reader)
    {
        JsonReading.Read(ref reader);
        JsonReading.Expect(ref reader, JsonTokenType.String);
        if (reader.ValueTextEquals("data"u8)) return BlobType.Data;
        if (reader.ValueTextEquals("tree"u8)) return BlobType.Tree;
        throw new JsonException($"unknown blob type '{reader.GetString()}'");
    }
}
