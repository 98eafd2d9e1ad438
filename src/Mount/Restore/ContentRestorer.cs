using StashMount.Repository;
using StashMount.Repository.Index;

namespace StashMount.Mount.Restore;

/// <summary>
/// Fills the pre-sized files: the needed blobs are grouped by pack into ranges, each range is read once (as many
/// in parallel as the backend serves well) and every blob is written to each place that needs it with positional
/// writes, so no file is ever read back or written in order.
/// </summary>
public sealed class ContentRestorer(ResticRepository repository, RestorePlan plan, RestoreErrors errors, RestoreProgress progress)
{
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var blobs = new List<PackedBlob>(plan.BlobTargets.Count);
        foreach (var id in plan.BlobTargets.Keys)
            if (repository.Index.TryGet(id, BlobType.Data, out var blob))
                blobs.Add(blob);
        var ranges = PackRange.Plan(blobs);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, repository.Backend.Connections), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(ranges, options, (range, ct) =>
            new ValueTask(PackRangeReader.ReadAsync(repository, range, WriteBlob, FailBlob, ct))).ConfigureAwait(false);
    }

    private ValueTask WriteBlob(PackedBlob blob, ReadOnlyMemory<byte> plaintext)
    {
        foreach (var target in plan.BlobTargets[blob.Id])
        {
            if (target.File.Failed)
                continue;
            try
            {
                // Opening per blob keeps descriptors bounded whatever the pack order; most files are one blob anyway.
                using var handle = File.OpenHandle(target.File.TargetPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                RandomAccess.Write(handle, plaintext.Span, target.Offset);
                progress.AddBytes(plaintext.Length);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Report(target.File, e.Message);
            }
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask FailBlob(PackedBlob blob, Exception error)
    {
        var pack = blob.PackId.ToString();
        var message = error.Message.Contains(pack, StringComparison.Ordinal) || error.Message.Contains(pack[..8], StringComparison.Ordinal)
            ? error.Message
            : $"{error.Message} (blob {blob.Id.ToShortString()} in pack {pack})";
        foreach (var target in plan.BlobTargets[blob.Id])
            errors.Report(target.File, message);
        return ValueTask.CompletedTask;
    }
}
