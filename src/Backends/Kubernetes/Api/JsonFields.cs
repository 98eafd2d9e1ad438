using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>Tolerant reads of optional fields from API objects: a missing or mistyped field is simply absent.</summary>
internal static class JsonFields
{
    public static JsonElement? Child(this JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var key in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out current))
                return null;
        }
        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    public static string? String(this JsonElement element, params string[] path) =>
        element.Child(path) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;

    public static bool Bool(this JsonElement element, params string[] path) =>
        element.Child(path) is { ValueKind: JsonValueKind.True };

    public static int? PositiveInt(this JsonElement element, params string[] path) =>
        element.Child(path) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) && number > 0 ? number : null;
}
