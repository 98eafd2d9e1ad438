namespace StashMount.Mount.Fuse;

/// <summary>
/// What a setattr request changes (chmod, chown, truncate, utimens): null leaves a field alone. Times use
/// utimensat's convention: <see cref="UtimeOmit"/> as nanoseconds leaves the time alone, <see cref="UtimeNow"/> sets
/// it to the current time. <see cref="Handle"/> is the open file's handle when the caller had one (ftruncate, futimens).
/// </summary>
public readonly record struct FuseSetAttributes
{
    public const long UtimeNow = (1L << 30) - 1;
    public const long UtimeOmit = (1L << 30) - 2;

    public static readonly FuseTimestamp Omit = new(0, UtimeOmit);
    public static readonly FuseTimestamp Now = new(0, UtimeNow);

    public uint? Mode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
    public long? Size { get; init; }
    public FuseTimestamp AccessTime { get; init; }
    public FuseTimestamp ModificationTime { get; init; }
    public ulong? Handle { get; init; }

    public bool ChangesTimes => AccessTime.Nanoseconds != UtimeOmit || ModificationTime.Nanoseconds != UtimeOmit;
}
