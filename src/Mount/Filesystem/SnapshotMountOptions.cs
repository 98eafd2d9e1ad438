using StashMount.Mount.Cli;
using StashMount.Mount.DataPath;

namespace StashMount.Mount.Filesystem;

/// <summary>What to show and how: the snapshot filter, one snapshot (ID[:subpath]) or all, ownership and refresh.</summary>
internal sealed record SnapshotMountOptions
{
    public SnapshotFilter Filter { get; init; } = SnapshotFilter.All;

    /// <summary>"ID" or "ID:sub/path" (ID may be "latest") to mount one snapshot or one of its directories at the root.</summary>
    public string? Snapshot { get; init; }

    public bool OwnerRoot { get; init; }

    /// <summary>restic's --path-template values (%i %I %u %h %t %T); empty for ids/%i, snapshots/%T, hosts/%h/%T, tags/%t/%T.</summary>
    public IReadOnlyList<string> PathTemplates { get; init; } = [];

    /// <summary>restic's --time-template: a Go time layout for %T; null for RFC 3339 (in UTC).</summary>
    public string? TimeTemplate { get; init; }

    /// <summary>How often new snapshots and index files are looked for; zero or less turns refreshing off.</summary>
    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(30);

    public DataPathOptions Data { get; init; } = new();
}
