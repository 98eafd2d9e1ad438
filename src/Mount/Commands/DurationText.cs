using System.Globalization;
using StashMount.Mount.Cli;

namespace StashMount.Mount.Commands;

/// <summary>Durations written like Go's: "30s", "5m", "1h30m", "250ms" (empty means zero).</summary>
internal static class DurationText
{
    public static TimeSpan Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        var i = 0;
        var s = text.Trim();
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new UsageException($"invalid duration {text}: use e.g. 30s, 5m or 1h");
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            total += s[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" or "" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => throw new UsageException($"invalid duration {text}: use e.g. 30s, 5m or 1h"),
            };
        }
        return total;
    }
}
