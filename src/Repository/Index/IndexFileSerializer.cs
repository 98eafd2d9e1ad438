using StashMount.Repository.Json;

namespace StashMount.Repository.Index;

/// <summary>
/// Writes an index file's plaintext as restic does (json.Encoder: compact JSON plus a newline):
/// {"packs":[{"id":…,"blobs":[{"id","type","offset","length","uncompressed_length"?}]}]}.
/// </summary>
public static class IndexFileSerializer
{
    /// <summary>restic finishes an index file once it holds this many blobs (0.17+; also fine for older readers).</summary>
    public const int MaxBlobsPerFile = 50_000;

    /// <summary>The JSON of one index file; <paramref name="packs"/> maps each pack to its blobs.</summary>
    public static byte[] Serialize(IEnumerable<KeyValuePair<ObjectId, IReadOnlyList<PackedBlob>>> packs)
    {
        var json = new GoJsonWriter(64 * 1024);
        json.StartObject();
        json.Name("packs"u8);
        json.StartArray();
        foreach (var (packId, blobs) in packs)
        {
            json.StartObject();
            json.Name("id"u8);
            json.Id(packId);
            json.Name("blobs"u8);
            json.StartArray();
            foreach (var blob in blobs)
            {
                json.StartObject();
                json.Name("id"u8);
                json.Id(blob.Id);
                json.Name("type"u8);
                json.RawValue(blob.Type == BlobType.Tree ? "\"tree\""u8 : "\"data\""u8);
                json.Name("offset"u8);
                json.Number((ulong)blob.Offset);
                json.Name("length"u8);
                json.Number((ulong)blob.Length);
                if (blob.UncompressedLength != 0)
                {
                    json.Name("uncompressed_length"u8);
                    json.Number((ulong)blob.UncompressedLength);
                }
                json.EndObject();
            }
            json.EndArray();
            json.EndObject();
        }
        json.EndArray();
        json.EndObject();
        json.Raw("\n"u8);
        return json.ToArray();
    }
}
