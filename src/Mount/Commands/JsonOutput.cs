using System.Text.Encodings.Web;
using System.Text.Json;

namespace StashMount.Mount.Commands;

/// <summary>Compact JSON on standard output, with non-ASCII text left readable as restic (Go) leaves it.</summary>
internal static class JsonOutput
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static Utf8JsonWriter CreateWriter(Stream stream) => new(stream, Options);
}
