using System.Globalization;
using StashMount.Mount.Cli;

namespace StashMount.Mount.Commands;

/// <summary>Parses the mount command's sizes ("512M", "1GiB", "65536") and durations ("30s", "5m", "0").</summary>
internal static class MountSizes
{
    public static long ParseBytes(string text, string option)
    {
        var t = text.Trim();
        var digits = t.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        var unit = t[digits..].Trim().ToUpperInvariant().Replace("IB", "").TrimEnd('B');
        long multiplier = unit switch
        {
            "" => 1,
            "K" => 1L << 10,
            "M" => 1L << 20,
            "G" => 1L << 30,
            "T" => 1L << 40,
            _ => throw new UsageException($"invalid size for {option}: \"{text}\" (use e.g. 512M or 1G)"),
        };
        if (digits == 0 || !double.TryParse(t[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw new UsageException($"invalid size for {option}: \"{text}\" (use e.g. 512M or 1G)");
        return (long)(value * multiplier);
    }

    public static TimeSpan ParseDuration(string text, string option)
    {
        var t = text.Trim();
        var digits = t.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        if (digits == 0 || !double.TryParse(t[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw new UsageException($"invalid duration for {option}: \"{text}\" (use e.g. 30s or 5m)");
        return t[digits..].Trim() switch
        {
            "" or "s" => TimeSpan.FromSeconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => throw new UsageException($"invalid duration for {option}: \"{text}\" (use e.g. 30s or 5m)"),
        };
    }
}
