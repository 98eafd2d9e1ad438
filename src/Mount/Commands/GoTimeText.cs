using System.Globalization;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Commands;

/// <summary>Go's renderings of a time that restic prints besides RFC 3339 (which GoTimestamp.ToString gives).</summary>
internal static class GoTimeText
{
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
}
