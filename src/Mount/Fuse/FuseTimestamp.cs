namespace StashMount.Mount.Fuse;

/// <summary>A struct timespec: seconds since the Unix epoch plus nanoseconds.</summary>
public readonly record struct FuseTimestamp(long Seconds, long Nanoseconds)
{
    public static FuseTimestamp FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0) { seconds--; rest += TimeSpan.TicksPerSecond; }
        return new FuseTimestamp(seconds, rest * 100);
    }
}
