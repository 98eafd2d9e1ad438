using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Cli;

/// <summary>
/// restic's snapshot filter: any of the hosts; all tags of any one tag group ("a,b" is a group); and every one
/// of the paths among the snapshot's paths. An empty part matches everything.
/// </summary>
public sealed record SnapshotFilter(IReadOnlyList<string> Hosts, IReadOnlyList<IReadOnlyList<string>> TagGroups, IReadOnlyList<string> Paths)
{
    public static readonly SnapshotFilter All = new([], [], []);

    public static SnapshotFilter Create(IEnumerable<string>? hosts, IEnumerable<string>? tags, IEnumerable<string>? paths) => new(
        [.. hosts ?? []],
        [.. (tags ?? []).Select(IReadOnlyList<string> (t) => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        [.. (paths ?? []).Select(NormalizePath)]);

    public bool Matches(Snapshot snapshot)
    {
        if (Hosts.Count > 0 && !Hosts.Contains(snapshot.Hostname, StringComparer.Ordinal))
            return false;
        if (TagGroups.Count > 0 && !TagGroups.Any(group => group.All(tag => snapshot.Tags.Contains(tag, StringComparer.Ordinal))))
            return false;
        if (Paths.Count > 0)
        {
            var own = snapshot.Paths.Select(NormalizePath).ToHashSet(StringComparer.Ordinal);
            if (!Paths.All(own.Contains))
                return false;
        }
        return true;
    }

    /// <summary>restic compares cleaned paths, so "/data/" and "/data" are the same path.</summary>
    private static string NormalizePath(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
