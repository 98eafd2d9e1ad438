using StashMount.Backends;

namespace StashMount.Repository.Snapshots;

/// <summary>Lists and loads snapshot files in parallel, sorted by time (to the nanosecond), then ID.</summary>
internal static class SnapshotLoader
{
    public static async Task<IReadOnlyList<Snapshot>> LoadAllAsync(ResticRepository repository, CancellationToken cancellationToken)
    {
        var ids = new List<ObjectId>();
        await foreach (var file in repository.Backend.ListAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false))
            if (ObjectId.TryParse(file.Name, out var id))
                ids.Add(id);

        var snapshots = new Snapshot?[ids.Count];
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, repository.Backend.Connections),
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), options, async (i, token) =>
        {
            try
            {
                snapshots[i] = await LoadAsync(repository, ids[i], token).ConfigureAwait(false);
            }
            catch (BackendFileNotFoundException)
            {
                // Removed since the listing (a concurrent forget): it is simply no longer there.
            }
        }).ConfigureAwait(false);

        var result = snapshots.OfType<Snapshot>().ToList();
        result.Sort(CompareByTime);
        return result;
    }

    public static async Task<Snapshot> LoadAsync(ResticRepository repository, ObjectId id, CancellationToken cancellationToken)
    {
        var plaintext = await repository.LoadUnpackedAsync(new FileHandle(FileType.Snapshot, id.ToString()), cancellationToken).ConfigureAwait(false);
        return SnapshotParser.Parse(id, plaintext);
    }

    public static int CompareByTime(Snapshot a, Snapshot b)
    {
        var c = a.Timestamp.UnixSeconds.CompareTo(b.Timestamp.UnixSeconds);
        if (c == 0) c = a.Timestamp.Nanoseconds.CompareTo(b.Timestamp.Nanoseconds);
        return c != 0 ? c : a.Id.CompareTo(b.Id);
    }
}
