using System.Globalization;
using System.Text;

namespace StashMount.Mount.Filesystem.Templates;

/// <summary>
/// Formats a time with a Go reference-time layout ("2006-01-02T15:04:05Z07:00"), as restic's --time-template
/// takes it: the layout is an example rendering of Mon Jan 2 15:04:05 -0700 MST 2006, and every element of it that
/// Go's time package recognises is replaced by the same element of the time. Hand-written: .NET has no Go layouts.
/// Times are shown in UTC (the mount's default names are RFC 3339 UTC), so zone elements print UTC / Z / +0000.
/// </summary>
public static class GoTimeLayout
{
    public const string Rfc3339 = "2006-01-02T15:04:05Z07:00";

    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;
    private static readonly string[] Days = CultureInfo.InvariantCulture.DateTimeFormat.DayNames;

    // Longest first where one element is a prefix of another, as Go tries them.
    private static readonly string[] Elements =
    [
        "January", "Jan", "Monday", "Mon", "MST",
        "2006", "002", "01", "02", "03", "04", "05", "06", "15", "1", "2", "__2", "_2", "3", "4", "5",
        "PM", "pm",
        "-07:00:00", "-070000", "-07:00", "-0700", "-07",
        "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07",
    ];

    public static string Format(DateTimeOffset time, string layout)
    {
        var t = time.UtcDateTime;
        var text = new StringBuilder(layout.Length + 8);
        var i = 0;
        while (i < layout.Length)
        {
            if (Fraction(layout, i) is { } fraction)
            {
                text.Append(FractionText(t, layout[i], layout[i + 1], fraction));
                i += fraction + 1;
                continue;
            }
            var element = ElementAt(layout, i);
            if (element is null)
            {
                text.Append(layout[i++]);
                continue;
            }
            text.Append(Render(t, element));
            i += element.Length;
        }
        return text.ToString();
    }

    private static string? ElementAt(string layout, int i)
    {
        foreach (var element in Elements)
            if (string.CompareOrdinal(layout, i, element, 0, element.Length) == 0)
            {
                // Go reads "_2006" as '_' then the year, not as a padded day followed by "006".
                if (element == "_2" && string.CompareOrdinal(layout, i, "_2006", 0, 5) == 0)
                    return null;
                return element;
            }
        return null;
    }

    /// <summary>".000"/",999"-style fractional seconds at <paramref name="i"/>: how many digits, or null.</summary>
    private static int? Fraction(string layout, int i)
    {
        if (layout[i] is not ('.' or ',') || i + 1 >= layout.Length || layout[i + 1] is not ('0' or '9'))
            return null;
        var digit = layout[i + 1];
        var j = i + 1;
        while (j < layout.Length && layout[j] == digit)
            j++;
        // Go treats the run as a fraction only when no other digit follows it.
        return j < layout.Length && char.IsAsciiDigit(layout[j]) ? null : j - (i + 1);
    }

    private static string FractionText(DateTime t, char separator, char kind, int digits)
    {
        var nanoseconds = (t.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture);
        var shown = nanoseconds[..Math.Min(digits, 9)].PadRight(digits, '0');
        if (kind == '9')
        {
            shown = shown.TrimEnd('0');
            if (shown.Length == 0)
                return "";
        }
        return separator + shown;
    }

    private static string Render(DateTime t, string element) => element switch
    {
        "January" => Months[t.Month - 1],
        "Jan" => Months[t.Month - 1][..3],
        "Monday" => Days[(int)t.DayOfWeek],
        "Mon" => Days[(int)t.DayOfWeek][..3],
        "MST" => "UTC",
        "2006" => Number(t.Year, 4),
        "06" => Number(t.Year % 100, 2),
        "01" => Number(t.Month, 2),
        "1" => Number(t.Month, 1),
        "02" => Number(t.Day, 2),
        "2" => Number(t.Day, 1),
        "_2" => Number(t.Day, 1).PadLeft(2),
        "002" => Number(t.DayOfYear, 3),
        "__2" => Number(t.DayOfYear, 1).PadLeft(3),
        "15" => Number(t.Hour, 2),
        "03" => Number(Hour12(t), 2),
        "3" => Number(Hour12(t), 1),
        "04" => Number(t.Minute, 2),
        "4" => Number(t.Minute, 1),
        "05" => Number(t.Second, 2),
        "5" => Number(t.Second, 1),
        "PM" => t.Hour >= 12 ? "PM" : "AM",
        "pm" => t.Hour >= 12 ? "pm" : "am",
        "-07:00:00" => "+00:00:00",
        "-070000" => "+000000",
        "-07:00" => "+00:00",
        "-0700" => "+0000",
        "-07" => "+00",
        _ => "Z", // the Z07… forms print Z for UTC
    };

    private static int Hour12(DateTime t) => t.Hour % 12 == 0 ? 12 : t.Hour % 12;

    private static string Number(int value, int width) => value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
}
