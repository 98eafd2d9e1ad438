using System.Diagnostics;
using StashMount.Backends;
using StashMount.Repository.Locks;
using StashMount.Repository.Snapshots;
using StashMount.Repository.Trees;
using StashMount.Repository.Writer;

namespace StashMount.Repository.Archiver;

/// <summary>
/// One `backup` run in restic's order: non-exclusive lock, index, parent snapshot, archive (packs, then index
/// files), and the snapshot file last, so an interrupted run never leaves a snapshot pointing at missing data.
/// </summary>
public static class BackupOperation
{
    public static async Task<BackupResult> RunAsync(ResticRepository repository, BackupRequest request, Action<string> reportError,
        CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var paths = request.Paths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))).Distinct(StringComparer.Ordinal).ToList();
        await using var repositoryLock = await RepositoryLock.AcquireAsync(repository, exclusive: false, request.RetryLock, cancellationToken).ConfigureAwait(false);
        await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var parent = request.Force ? null : await FindParentAsync(repository, request, paths, cancellationToken).ConfigureAwait(false);
        var start = GoTime.Now();

        await using var writer = new RepositoryWriter(repository, request.Writer);
        var archiver = new SnapshotArchiver(repository, writer, new ExcludeMatcher(request.Excludes), reportError);
        var tree = await archiver.ArchiveAsync(paths, parent?.Tree, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);

        var snapshot = new NewSnapshot
        {
            Time = start,
            Parent = parent?.Id,
            Tree = tree,
            Paths = paths.Order(StringComparer.Ordinal).ToList(),
            Hostname = request.Hostname,
            Username = Environment.UserName,
            Uid = PosixProcess.Uid,
            Gid = PosixProcess.Gid,
            Excludes = request.Excludes,
            Tags = request.Tags,
        };
        var id = await repository.SaveUnpackedAsync(FileType.Snapshot, SnapshotSerializer.Serialize(snapshot), cancellationToken).ConfigureAwait(false);
        return new BackupResult(id, parent?.Id, archiver.Statistics, writer.Statistics, stopwatch.Elapsed);
    }

    private static async Task<Snapshot?> FindParentAsync(ResticRepository repository, BackupRequest request, List<string> paths, CancellationToken cancellationToken)
    {
        var snapshots = await repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        if (request.Parent is { } wanted)
        {
            var matches = snapshots.Where(s => s.Id.ToString().StartsWith(wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            return matches.Count switch
            {
                1 => matches[0],
                0 => throw new RepositoryException($"parent snapshot {wanted} not found"),
                _ => throw new RepositoryException($"parent snapshot prefix {wanted} is ambiguous"),
            };
        }
        var sortedPaths = paths.Order(StringComparer.Ordinal).ToList();
        // restic: the latest snapshot of the same host with the same set of paths.
        return snapshots.Where(s => s.Hostname == request.Hostname && s.Paths.Order(StringComparer.Ordinal).SequenceEqual(sortedPaths, StringComparer.Ordinal))
            .MaxBy(s => s.Time);
    }
}
