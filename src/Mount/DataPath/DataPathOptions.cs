namespace StashMount.Mount.DataPath;

/// <summary>Knobs of the file-content read path.</summary>
public sealed record DataPathOptions
{
    /// <summary>Bytes of decrypted blobs kept in memory.</summary>
    public long CacheSizeBytes { get; init; } = 512L << 20;

    /// <summary>How far ahead of a sequential reader blobs are fetched.</summary>
    public long PrefetchBytes { get; init; } = 64L << 20;

    /// <summary>Backend range requests in flight at once.</summary>
    public int Connections { get; init; } = 8;

    /// <summary>Neighbouring blobs of one pack separated by at most this many bytes are read in one request.</summary>
    public int CoalesceGapBytes { get; init; } = 256 << 10;

    /// <summary>Largest single range request; bigger runs are split so they can go in parallel.</summary>
    public int MaxRequestBytes { get; init; } = 2 << 20;

    /// <summary>Files up to this size are fetched ahead as a batch with the small files listed after them.</summary>
    public long SmallFileBytes { get; init; } = 1L << 20;

    /// <summary>Bytes and files in one batch of small files fetched ahead.</summary>
    public long SmallFileBatchBytes { get; init; } = 8L << 20;

    public int SmallFileBatchFiles { get; init; } = 256;

    /// <summary>Free blob buffers kept for reuse (beyond this they go back to the system): about a prefetch window, since
    /// buffers leave and return in window-sized waves (16 MiB left most of a cold read mapping fresh blocks). 128 MiB
    /// (a window of ~1 MiB blobs in 2 MiB huge-page blocks) saved ~8% of a cold read's CPU but raised its peak RSS
    /// by ~25 MiB, past restic mount's (bench-mount, 512 MiB: 209 vs 189 MiB). Buffers of 256 KiB and more share one
    /// huge-page arena (<see cref="HugePageArena"/>), whose free pages are given back once they pass this by half.</summary>
    public long PoolRetainBytes { get; init; } = DefaultPoolRetainBytes;

    public const long DefaultPoolRetainBytes = 64L << 20;

    /// <summary>No reader waits longer than this for the backend; then it gets EIO.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
