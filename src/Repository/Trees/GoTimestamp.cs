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
}
