using System.Text;

namespace StashMount.Repository.Trees;

/// <summary>
/// A timestamp as restic writes it (RFC 3339 with nanoseconds and the writer's UTC offset). Kept as
/// seconds + nanoseconds + offset so nothing is lost on a round trip.
/// </summary>
public readonly record struct GoTimestamp(long UnixSeconds, int Nanoseconds, int OffsetMinutes)
{
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(UnixSeconds).AddTicks(Nanoseconds / 100).ToOffset(TimeSpan.FromMinutes(OffsetMinutes));

    public static GoTimestamp FromDateTimeOffset(DateTimeOffset value, int nanoseconds)
        => new(value.ToUnixTimeSeconds(), nanoseconds, (int)value.Offset.TotalMinutes);

    /// <summary>Go's zero time.Time (0001-01-01T00:00:00Z), which restic writes for unset times.</summary>
    public static readonly GoTimestamp Zero = new(-62135596800, 0, 0);

    public static GoTimestamp Parse(string text) =>
        TryParse(Encoding.UTF8.GetBytes(text), out var value) ? value : throw new FormatException($"'{text}' is not an RFC 3339 time");

    /// <summary>
    /// Parses Go's time.Time JSON text: yyyy-MM-ddTHH:mm:ss, an optional fraction (digits past the ninth are
    /// dropped, as Go does), then Z or ±hh:mm. Years 0–9999 are accepted (restic clamps to that range).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out GoTimestamp value)
    {
        value = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
            return false;
        if (!Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day)
            || !Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute) || !Digits(s.Slice(17, 2), out var second))
            return false;
        if (month is < 1 or > 12 || day < 1 || day > CivilCalendar.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        var pos = 19;
        var nanos = 0;
        if (s[pos] == '.' || s[pos] == ',')
        {
            pos++;
            var digits = 0;
            while (pos < s.Length && s[pos] is >= (byte)'0' and <= (byte)'9')
            {
                if (digits < 9)
                    nanos = nanos * 10 + (s[pos] - '0');
                digits++;
                pos++;
            }
            if (digits == 0)
                return false;
            for (; digits < 9; digits++)
                nanos *= 10;
        }
        int offset;
        if (pos == s.Length - 1 && s[pos] == 'Z')
        {
            offset = 0;
        }
        else if (pos == s.Length - 6 && s[pos] is (byte)'+' or (byte)'-' && s[pos + 3] == ':'
                 && Digits(s.Slice(pos + 1, 2), out var oh) && Digits(s.Slice(pos + 4, 2), out var om) && oh < 24 && om < 60)
        {
            offset = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }
        var local = CivilCalendar.DaysFromCivil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second;
        value = new GoTimestamp(local - offset * 60L, nanos, offset);
        return true;
    }

    /// <summary>Go's RFC3339Nano form: fraction without trailing zeros (none when 0), Z for a zero offset.</summary>
    public override string ToString()
    {
        var local = UnixSeconds + OffsetMinutes * 60L;
        var days = Math.DivRem(local, 86400L, out var secondOfDay);
        if (secondOfDay < 0)
        {
            secondOfDay += 86400;
            days--;
        }
        var (year, month, day) = CivilCalendar.CivilFromDays(days);
        var text = new StringBuilder(35);
        text.Append(year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append('-')
            .Append(Two(month)).Append('-').Append(Two(day)).Append('T')
            .Append(Two((int)(secondOfDay / 3600))).Append(':').Append(Two((int)(secondOfDay / 60 % 60))).Append(':').Append(Two((int)(secondOfDay % 60)));
        if (Nanoseconds != 0)
            text.Append('.').Append(Nanoseconds.ToString("D9", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0'));
        if (OffsetMinutes == 0)
            text.Append('Z');
        else
            text.Append(OffsetMinutes < 0 ? '-' : '+').Append(Two(Math.Abs(OffsetMinutes) / 60)).Append(':').Append(Two(Math.Abs(OffsetMinutes) % 60));
        return text.ToString();
    }

    private static string Two(int value) => value.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    private static bool Digits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (c is < (byte)'0' or > (byte)'9')
                return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
