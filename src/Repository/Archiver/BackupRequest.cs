using StashMount.Repository.Writer;

namespace StashMount.Repository.Archiver;

/// <summary>What to back up and how: restic backup's options.</summary>
public sealed record BackupRequest
{
    public required IReadOnlyList<string> Paths { get; init; }
    public string Hostname { get; init; } = Environment.MachineName;
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Excludes { get; init; } = [];
    /// <summary>An explicit parent snapshot (ID or unique prefix); null picks the latest with the same host and paths.</summary>
    public string? Parent { get; init; }
    /// <summary>Read every file even when a parent snapshot exists (restic's --force).</summary>
    public bool Force { get; init; }
    public WriterOptions Writer { get; init; } = new();
    public TimeSpan RetryLock { get; init; }
}
