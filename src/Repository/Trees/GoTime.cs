namespace StashMount.Repository.Trees;

/// <summary>Times as restic writes them: in the machine's local zone, with nanoseconds.</summary>
public static class GoTime
{
    public static GoTimestamp Now() => FromUtc(DateTime.UtcNow);

    public static GoTimestamp FromUtc(DateTime utc)
    {
        var offset = TimeZoneInfo.Local.GetUtcOffset(utc);
        var ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0) { rest += TimeSpan.TicksPerSecond; seconds--; }
        return new GoTimestamp(seconds, (int)(rest * 100), (int)offset.TotalMinutes);
    }

    /// <summary>A file time from seconds and nanoseconds since the epoch, in the local zone of that instant.</summary>
    public static GoTimestamp FromUnix(long seconds, long nanoseconds)
    {
        var utc = DateTime.UnixEpoch.AddSeconds(Math.Clamp(seconds, -62135596800L, 253402300799L));
        var offset = TimeZoneInfo.Local.GetUtcOffset(utc);
        return new GoTimestamp(seconds, (int)nanoseconds, (int)offset.TotalMinutes);
    }
}
