using StashMount.Repository;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Restore;

/// <summary>What a restore did.</summary>
public sealed record RestoreSummary(int Files, long Bytes, int Errors);

/// <summary>
/// Restores a snapshot (or the part a filter selects) under a target folder with restic's layout and
/// attributes: lay out the tree while its files' contents are filled pack by pack, then set metadata (files, then
/// directories deepest first). Failures of single items are reported and counted; the rest is still restored.
/// </summary>
public static class SnapshotRestorer
{
    public static async Task<RestoreSummary> RestoreAsync(ResticRepository repository, Snapshot snapshot, string target, RestoreFilter filter,
        RestoreErrors errors, RestoreProgress progress, CancellationToken cancellationToken)
    {
        var content = new ContentRestorer(repository, errors, progress, cancellationToken);
        RestorePlan plan;
        try
        {
            plan = await new RestorePlanner(repository, target, filter, errors, content, progress).PlanAsync(snapshot, content.Token).ConfigureAwait(false);
        }
        catch
        {
            await content.AbortAsync().ConfigureAwait(false);
            throw;
        }
        await content.CompleteAsync().ConfigureAwait(false);
        var metadata = new MetadataRestorer(errors);
        foreach (var item in plan.Items)
            metadata.Apply(item);
        foreach (var directory in plan.DirectoriesChildrenFirst)
            metadata.Apply(directory);
        return new RestoreSummary(plan.FileCount, progress.Bytes, errors.Count);
    }
}
