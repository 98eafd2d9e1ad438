using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace StashMount.Repository.Json;

/// <summary>
/// Writes compact JSON byte for byte as Go's encoding/json does (HTML escaping on), which restic's tree, index,
/// snapshot and lock files need for their IDs to match. System.Text.Json escapes differently (non-ASCII,
/// '+', …), so this writer is hand-made. The caller writes members in struct order and applies omitempty.
/// </summary>
public sealed class GoJsonWriter
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    private readonly ArrayBufferWriter<byte> _output;
    private bool _needComma;

    public GoJsonWriter(int initialCapacity = 1024) => _output = new ArrayBufferWriter<byte>(initialCapacity);

    public ReadOnlySpan<byte> WrittenSpan => _output.WrittenSpan;

    public byte[] ToArray() => _output.WrittenSpan.ToArray();

    public void StartObject() => Open((byte)'{');

    public void EndObject() => Close((byte)'}');

    public void StartArray() => Open((byte)'[');

    public void EndArray() => Close((byte)']');

    /// <summary>A member name; the value written next belongs to it.</summary>
    public void Name(ReadOnlySpan<byte> asciiName)
    {
        Separator();
        Byte((byte)'"');
        Raw(asciiName);
        Raw("\":"u8);
        _needComma = false;
    }

    public void String(string value) => String(Encoding.UTF8.GetBytes(value));

    /// <summary>A JSON string from (possibly invalid) UTF-8 bytes: each invalid byte becomes \ufffd, as in Go.</summary>
    public void String(ReadOnlySpan<byte> utf8)
    {
        Separator();
        Byte((byte)'"');
        var i = 0;
        var literalStart = 0;
        while (i < utf8.Length)
        {
            var b = utf8[i];
            if (b < 0x80)
            {
                if (b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&')
                {
                    i++;
                    continue;
                }
                Raw(utf8[literalStart..i]);
                EscapeAscii(b);
                literalStart = ++i;
                continue;
            }
            var status = Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                Raw(utf8[literalStart..i]);
                Raw("\\ufffd"u8);
                literalStart = ++i; // Go consumes exactly one byte of an invalid sequence
                continue;
            }
            if (rune.Value is 0x2028 or 0x2029)
            {
                Raw(utf8[literalStart..i]);
                Raw(rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
                literalStart = i + consumed;
            }
            i += consumed;
        }
        Raw(utf8[literalStart..]);
        Byte((byte)'"');
        _needComma = true;
    }

    public void Number(ulong value)
    {
        Separator();
        var span = _output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
        _needComma = true;
    }

    public void Number(long value)
    {
        Separator();
        var span = _output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
        _needComma = true;
    }

    public void Boolean(bool value) => Literal(value ? "true"u8 : "false"u8);

    public void Null() => Literal("null"u8);

    /// <summary>An ID as a 64-digit lowercase hex string.</summary>
    public void Id(ObjectId id)
    {
        Separator();
        var span = _output.GetSpan(2 * ObjectId.Size + 2);
        span[0] = (byte)'"';
        Span<byte> bytes = stackalloc byte[ObjectId.Size];
        id.CopyTo(bytes);
        for (var k = 0; k < bytes.Length; k++)
        {
            span[1 + 2 * k] = Hex[bytes[k] >> 4];
            span[2 + 2 * k] = Hex[bytes[k] & 15];
        }
        span[2 * ObjectId.Size + 1] = (byte)'"';
        _output.Advance(2 * ObjectId.Size + 2);
        _needComma = true;
    }

    /// <summary>[]byte as Go encodes it: standard Base64 with padding.</summary>
    public void Base64(ReadOnlySpan<byte> value)
    {
        Separator();
        Byte((byte)'"');
        var span = _output.GetSpan(System.Buffers.Text.Base64.GetMaxEncodedToUtf8Length(value.Length));
        System.Buffers.Text.Base64.EncodeToUtf8(value, span, out _, out var written);
        _output.Advance(written);
        Byte((byte)'"');
        _needComma = true;
    }

    /// <summary>Bytes that are already valid JSON (a nested document, a pre-encoded value).</summary>
    public void RawValue(ReadOnlySpan<byte> json)
    {
        Separator();
        Raw(json);
        _needComma = true;
    }

    /// <summary>Bytes outside the JSON structure, e.g. the newline json.Encoder appends.</summary>
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return;
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
    }

    private void EscapeAscii(byte b)
    {
        switch (b)
        {
            case (byte)'"': Raw("\\\""u8); break;
            case (byte)'\\': Raw("\\\\"u8); break;
            case (byte)'\n': Raw("\\n"u8); break;
            case (byte)'\r': Raw("\\r"u8); break;
            case (byte)'\t': Raw("\\t"u8); break;
            default:
                // Go before 1.22 (restic 0.14's toolchain) writes \b and \f in this long form too.
                Span<byte> escape = [(byte)'\\', (byte)'u', (byte)'0', (byte)'0', Hex[b >> 4], Hex[b & 15]];
                Raw(escape);
                break;
        }
    }

    private void Literal(ReadOnlySpan<byte> text)
    {
        Separator();
        Raw(text);
        _needComma = true;
    }

    private void Open(byte bracket)
    {
        Separator();
        Byte(bracket);
        _needComma = false;
    }

    private void Close(byte bracket)
    {
        Byte(bracket);
        _needComma = true;
    }

    private void Separator()
    {
        if (_needComma)
            Byte((byte)',');
    }

    private void Byte(byte b)
    {
        _output.GetSpan(1)[0] = b;
        _output.Advance(1);
    }
}
