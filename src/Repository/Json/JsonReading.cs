using System.Text.Json;

namespace StashMount.Repository.Json;

/// <summary>
/// Small helpers for the forward-only <see cref="Utf8JsonReader"/> parsers of restic's JSON documents.
/// Failures throw <see cref="JsonException"/>; parsers turn that into an <see cref="IntegrityException"/>
/// naming the document.
/// </summary>
internal static class JsonReading
{
    public static void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw new JsonException("unexpected end of document");
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
            throw new JsonException($"expected {Describe(type)} but found {Describe(reader.TokenType)}");
    }

    /// <summary>Reads the next token and checks it is the start of an object or array.</summary>
    public static void ReadStart(ref Utf8JsonReader reader, JsonTokenType type)
    {
        Read(ref reader);
        Expect(ref reader, type);
    }

    /// <summary>Advances to the next property name of the current object; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.EndObject)
            return false;
        Expect(ref reader, JsonTokenType.PropertyName);
        return true;
    }

    /// <summary>Advances to the next element of the current array; false at its end.</summary>
    public static bool NextElement(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        return reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>Reads the next token; returns false for null, true for the start of an array.</summary>
    public static bool ReadArrayOrNull(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
            return false;
        Expect(ref reader, JsonTokenType.StartArray);
        return true;
    }

    /// <summary>Reads the value after a property name as a hex ID.</summary>
    public static ObjectId ReadObjectId(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        return GetObjectId(ref reader);
    }

    public static ObjectId GetObjectId(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        if (!reader.ValueIsEscaped && ObjectId.TryParse(reader.ValueSpan, out var id))
            return id;
        if (reader.ValueIsEscaped && ObjectId.TryParse(reader.GetString(), out id))
            return id;
        throw new JsonException($"'{reader.GetString()}' is not a 64-digit hex ID");
    }

    public static ObjectId? ReadObjectIdOrNull(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        return reader.TokenType == JsonTokenType.Null ? null : GetObjectId(ref reader);
    }

    public static uint ReadUInt32(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        Expect(ref reader, JsonTokenType.Number);
        return reader.TryGetUInt32(out var value) ? value : throw new JsonException($"number out of range: {Describe(ref reader)}");
    }

    public static ulong ReadUInt64(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        Expect(ref reader, JsonTokenType.Number);
        return reader.TryGetUInt64(out var value) ? value : throw new JsonException($"number out of range: {Describe(ref reader)}");
    }

    public static string? ReadStringOrNull(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        Expect(ref reader, JsonTokenType.String);
        return reader.GetString();
    }

    public static byte[] ReadBase64OrNull(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
            return [];
        Expect(ref reader, JsonTokenType.String);
        return reader.TryGetBytesFromBase64(out var bytes) ? bytes : throw new JsonException("invalid base64 value");
    }

    /// <summary>Skips the value after a property name (a member this version does not use).</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        reader.Skip();
    }

    private static string Describe(ref Utf8JsonReader reader) =>
        System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.Null => "null",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.EndObject => "the end of an object",
        JsonTokenType.EndArray => "the end of an array",
        _ => type.ToString(),
    };
}
