using System.Globalization;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// Directory names for a list of snapshots: the snapshot time in RFC 3339 UTC, with "-1", "-2" … appended to
/// later snapshots that share a second, in time order (ties by ID) so the names are stable across refreshes.
/// </summary>
internal static class SnapshotNames
{
    public const string Latest = "latest";

    public static List<(string Name, Snapshot Snapshot)> Assign(IEnumerable<Snapshot> snapshots)
    {
        var result = new List<(string, Snapshot)>();
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var snapshot in snapshots.OrderBy(s => s.Time).ThenBy(s => s.Id))
        {
            var name = snapshot.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            if (used.TryGetValue(name, out var count))
            {
                used[name] = count + 1;
                name = $"{name}-{count}";
            }
            else
            {
                used[name] = 1;
            }
            result.Add((name, snapshot));
        }
        return result;
    }
}
