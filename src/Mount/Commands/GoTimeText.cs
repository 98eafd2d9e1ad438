using System.Globalization;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Commands;

/// <summary>Go's renderings of a time that restic prints: RFC 3339 with nanoseconds, and time.Time.String().</summary>
internal static class GoTimeText
{
    /// <summary>RFC 3339, 1–9 fractional digits with trailing zeros dropped, "Z" for a zero offset.</summary>
    public static string Rfc3339Nano(GoTimestamp t)
    {
        var local = DateTimeOffset.FromUnixTimeSeconds(t.UnixSeconds).ToOffset(TimeSpan.FromMinutes(t.OffsetMinutes));
        var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (t.Nanoseconds != 0)
            text += "." + t.Nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + Offset(t.OffsetMinutes, colon: true, zeroAsZ: true);
    }

    /// <summary>
    /// Go's time.Time.String() of a stored RFC 3339 text, e.g. "2024-01-02 03:04:05.5 +0000 UTC". A non-zero offset
    /// is printed twice, as Go does for a zone without a name.
    /// </summary>
    public static string GoString(string rfc3339)
    {
        var t = rfc3339.IndexOf('T');
        if (t < 0)
            return rfc3339;
        var zoneStart = rfc3339.IndexOfAny(['Z', '+', '-'], t);
        if (zoneStart < 0)
            return rfc3339;
        var clock = rfc3339[(t + 1)..zoneStart];
        var zone = rfc3339[zoneStart..];
        var offset = zone == "Z" ? "+0000 UTC" : zone.Replace(":", "") + " " + zone.Replace(":", "");
        return $"{rfc3339[..t]} {clock} {offset}";
    }

    /// <summary>The local wall-clock time to the second, as "ls -l" prints it.</summary>
    public static string LocalSeconds(GoTimestamp t) =>
        DateTimeOffset.FromUnixTimeSeconds(t.UnixSeconds).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Offset(int minutes, bool colon, bool zeroAsZ)
    {
        if (minutes == 0 && zeroAsZ)
            return "Z";
        var sign = minutes < 0 ? '-' : '+';
        var abs = Math.Abs(minutes);
        return colon ? $"{sign}{abs / 60:00}:{abs % 60:00}" : $"{sign}{abs / 60:00}{abs % 60:00}";
    }
}
