using System.Globalization;
using System.Text;

namespace StashMount.Repository.Json;

/// <summary>
/// Go's strconv.Quote and strconv.Unquote for double-quoted strings, without the surrounding quotes. restic
/// passes node names through Quote before JSON-encoding them, so a name's raw bytes (not necessarily UTF-8)
/// survive; readers must Unquote, and writers must Quote exactly as Go does for tree IDs to match.
/// </summary>
public static class GoQuote
{
    /// <summary>
    /// The raw bytes for quoted text given as UTF-8 (a JSON string's decoded value). Returns null when the
    /// text is not a valid Go double-quoted string body.
    /// </summary>
    public static byte[]? Unquote(ReadOnlySpan<byte> quoted)
    {
        if (quoted.IndexOfAny((byte)'\\', (byte)'"', (byte)'\n') < 0)
            return quoted.ToArray();
        var output = new List<byte>(quoted.Length);
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (i < quoted.Length)
        {
            var c = quoted[i];
            if (c is (byte)'"' or (byte)'\n')
                return null;
            if (c != '\\')
            {
                output.Add(c);
                i++;
                continue;
            }
            if (++i >= quoted.Length)
                return null;
            var e = quoted[i++];
            switch (e)
            {
                case (byte)'a': output.Add(7); break;
                case (byte)'b': output.Add(8); break;
                case (byte)'f': output.Add(12); break;
                case (byte)'n': output.Add(10); break;
                case (byte)'r': output.Add(13); break;
                case (byte)'t': output.Add(9); break;
                case (byte)'v': output.Add(11); break;
                case (byte)'\\': output.Add((byte)'\\'); break;
                case (byte)'"': output.Add((byte)'"'); break;
                case (byte)'x':
                    if (!Hex(quoted, i, 2, out var b)) return null;
                    output.Add((byte)b);
                    i += 2;
                    break;
                case (byte)'u' or (byte)'U':
                    var digits = e == 'u' ? 4 : 8;
                    if (!Hex(quoted, i, digits, out var r) || !Rune.IsValid(r)) return null;
                    var n = new Rune(r).EncodeToUtf8(utf8);
                    for (var k = 0; k < n; k++) output.Add(utf8[k]);
                    i += digits;
                    break;
                case >= (byte)'0' and <= (byte)'7':
                    if (i + 1 >= quoted.Length) return null;
                    var o = e - '0';
                    for (var k = 0; k < 2; k++)
                    {
                        var d = quoted[i++];
                        if (d is < (byte)'0' or > (byte)'7') return null;
                        o = o * 8 + (d - '0');
                    }
                    if (o > 255) return null;
                    output.Add((byte)o);
                    break;
                default:
                    return null;
            }
        }
        return output.ToArray();
    }

    /// <summary>Go's strconv.Quote of raw bytes, without the surrounding quotes.</summary>
    public static string Quote(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length + 8);
        while (!raw.IsEmpty)
        {
            // Go decodes one rune at a time and, on invalid UTF-8, consumes exactly one byte.
            if (raw[0] < 0x80 || Rune.DecodeFromUtf8(raw, out var rune, out var width) != System.Buffers.OperationStatus.Done)
            {
                if (raw[0] >= 0x80)
                {
                    text.Append("\\x").Append(raw[0].ToString("x2", CultureInfo.InvariantCulture));
                    raw = raw[1..];
                    continue;
                }
                rune = new Rune(raw[0]);
                width = 1;
            }
            AppendEscaped(text, rune);
            raw = raw[width..];
        }
        return text.ToString();
    }

    private static void AppendEscaped(StringBuilder text, Rune r)
    {
        if (r.Value is '"' or '\\')
        {
            text.Append('\\').Append((char)r.Value);
            return;
        }
        if (IsGoPrintable(r))
        {
            text.Append(r.ToString());
            return;
        }
        switch (r.Value)
        {
            case 7: text.Append("\\a"); return;
            case 8: text.Append("\\b"); return;
            case 12: text.Append("\\f"); return;
            case 10: text.Append("\\n"); return;
            case 13: text.Append("\\r"); return;
            case 9: text.Append("\\t"); return;
            case 11: text.Append("\\v"); return;
        }
        if (r.Value < ' ' || r.Value == 0x7f)
            text.Append("\\x").Append(r.Value.ToString("x2", CultureInfo.InvariantCulture));
        else if (r.Value < 0x10000)
            text.Append("\\u").Append(r.Value.ToString("x4", CultureInfo.InvariantCulture));
        else
            text.Append("\\U").Append(r.Value.ToString("x8", CultureInfo.InvariantCulture));
    }

    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols, and the ASCII space only.</summary>
    private static bool IsGoPrintable(Rune r)
    {
        if (r.Value == ' ')
            return true;
        return Rune.GetUnicodeCategory(r) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    private static bool Hex(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
            return false;
        for (var k = 0; k < count; k++)
        {
            var c = s[start + k];
            int d = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => -1,
            };
            if (d < 0) return false;
            value = value * 16 + d;
        }
        return true;
    }
}
