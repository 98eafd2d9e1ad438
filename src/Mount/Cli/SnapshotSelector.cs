using StashMount.Repository;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Cli;

/// <summary>Resolves a snapshot argument: a full ID, a unique ID prefix, or "latest" (the newest matching the filter).</summary>
public static class SnapshotSelector
{
    public static async Task<Snapshot> ResolveAsync(ResticRepository repository, string argument, SnapshotFilter filter, CancellationToken cancellationToken)
    {
        var snapshots = await repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        return Resolve(snapshots, argument, filter);
    }

    public static Snapshot Resolve(IReadOnlyList<Snapshot> snapshots, string argument, SnapshotFilter filter)
    {
        if (argument == "latest")
        {
            Snapshot? latest = null;
            foreach (var snapshot in snapshots)
                if (filter.Matches(snapshot) && (latest is null || IsNewer(snapshot, latest)))
                    latest = snapshot;
            return latest ?? throw new UsageException("no snapshot found" + (filter == SnapshotFilter.All ? "" : " matching the filter"));
        }
        if (argument.Length == 0 || !argument.All(char.IsAsciiHexDigitLower))
            throw new UsageException($"invalid snapshot ID \"{argument}\": expected a hex ID, a unique prefix, or latest");
        Snapshot? found = null;
        foreach (var snapshot in snapshots)
        {
            if (!snapshot.Id.ToString().StartsWith(argument, StringComparison.Ordinal))
                continue;
            if (found != null)
                throw new UsageException($"ambiguous snapshot ID prefix \"{argument}\": it matches {found.ShortId} and {snapshot.ShortId}");
            found = snapshot;
        }
        return found ?? throw new UsageException($"no snapshot with ID or prefix \"{argument}\"");
    }

    // restic breaks ties of equal time by ID, so the choice is stable across runs.
    private static bool IsNewer(Snapshot candidate, Snapshot current)
    {
        var c = candidate.Time.CompareTo(current.Time);
        return c > 0 || (c == 0 && candidate.Id.CompareTo(current.Id) > 0);
    }
}
