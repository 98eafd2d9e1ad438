using StashMount.Repository.Writer;

namespace StashMount.Mount.Writable;

/// <summary>How a writable mount stages and commits: where, as which host and tags, and when.</summary>
public sealed record WriteSpoolOptions
{
    /// <summary>The spool folder (tree, journal); one per mount.</summary>
    public required string SpoolDirectory { get; init; }

    public string Hostname { get; init; } = Environment.MachineName;

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Commit once <c>new/</c> has been idle this long with no file open for writing.</summary>
    public TimeSpan CommitAfter { get; init; } = TimeSpan.FromSeconds(30);

    public WriterOptions Writer { get; init; } = new();

    /// <summary>Take no repository lock (the global --no-lock).</summary>
    public bool NoLock { get; init; }

    /// <summary>Parallel background ingestions (files read at once).</summary>
    public int IngestWorkers { get; init; } = 2;

    public Action<string> Log { get; init; } = _ => { };
}
