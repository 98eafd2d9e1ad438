using StashMount.Repository;
using StashMount.Repository.Index;

namespace StashMount.Mount.Restore;

/// <summary>
/// Fills the files: the needed blobs are grouped by pack into ranges, each range is read once (as many in parallel
/// as the backend serves well) and every blob is written to each place that needs it with positional writes, so no
/// file is ever read back or written in order. A file is opened once, on its first blob, and closed after its last
/// one with its metadata set through the same descriptor.
/// </summary>
public sealed class ContentRestorer(ResticRepository repository, RestorePlan plan, RestoreErrors errors, RestoreProgress progress)
{
    // Files waiting for blobs from later packs keep their descriptor; past this many, a file is closed after each
    // write and reopened for the next one, so the descriptor limit is never reached.
    private const int MaxOpenFiles = 512;
    // Ranges are cut short enough that their pooled buffers are reused, not freshly faulted in, by the parallel readers.
    private const int MaxRangeLength = 4 * 1024 * 1024;

    private readonly MetadataRestorer _metadata = new(errors);
    private int _openFiles;

    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var blobs = new List<PackedBlob>(plan.BlobTargets.Count);
        foreach (var id in plan.BlobTargets.Keys)
            if (repository.Index.TryGet(id, BlobType.Data, out var blob))
                blobs.Add(blob);
        var ranges = PackRange.Plan(blobs, maxLength: MaxRangeLength);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, repository.Backend.Connections), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(ranges, options, (range, ct) =>
            new ValueTask(PackRangeReader.ReadAsync(repository, range, WriteBlob, FailBlob, ct))).ConfigureAwait(false);
    }

    private ValueTask WriteBlob(PackedBlob blob, ReadOnlyMemory<byte> plaintext)
    {
        foreach (var target in plan.BlobTargets[blob.Id])
            if (Deliver(target, plaintext.Span, written: true))
                progress.AddBytes(plaintext.Length);
        return ValueTask.CompletedTask;
    }

    private ValueTask FailBlob(PackedBlob blob, Exception error)
    {
        var pack = blob.PackId.ToString();
        var message = error.Message.Contains(pack, StringComparison.Ordinal) || error.Message.Contains(pack[..8], StringComparison.Ordinal)
            ? error.Message
            : $"{error.Message} (blob {blob.Id.ToShortString()} in pack {pack})";
        foreach (var target in plan.BlobTargets[blob.Id])
        {
            errors.Report(target.File, message);
            // The file is still made at its full size, as restic leaves it, with what its other blobs hold.
            Deliver(target, default, written: false);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes one blob into one file (or only accounts for it when it failed); true when the bytes landed.</summary>
    private bool Deliver(BlobTarget target, ReadOnlySpan<byte> data, bool written)
    {
        var item = target.File;
        var file = item.Content!;
        var landed = false;
        lock (file.Gate)
        {
            file.PendingBlobs--;
            if (file.Descriptor < 0 && !(item.Failed && file.Created))
                Open(item, file);
            if (file.Descriptor >= 0)
            {
                if (written && !item.Failed)
                {
                    var errno = -PosixFileCalls.WriteAll(file.Descriptor, data, target.Offset);
                    if (errno != 0)
                        errors.ReportMetadata(item, "pwrite", errno);
                    landed = errno == 0;
                }
                if (file.PendingBlobs == 0 && !file.MadeByPlanner)
                    _metadata.Apply(item, file.Descriptor);
                if (file.PendingBlobs == 0 || Volatile.Read(ref _openFiles) > MaxOpenFiles)
                    Close(item, file);
            }
        }
        return landed;
    }

    private void Open(RestoreItem item, TargetFile file)
    {
        var descriptor = PosixFileCalls.OpenForWrite(item.TargetPath, create: !file.Created);
        if (descriptor < 0)
        {
            errors.ReportMetadata(item, "open", -descriptor);
            return;
        }
        Interlocked.Increment(ref _openFiles);
        file.Descriptor = descriptor;
        if (!file.Created && file.BlobCount > 1)
        {
            // Full size up front, as restic preallocates: later blobs may come first.
            var errno = -PosixFileCalls.Truncate(descriptor, file.Size);
            if (errno != 0)
                errors.ReportMetadata(item, "ftruncate", errno);
        }
        file.Created = true;
    }

    private void Close(RestoreItem item, TargetFile file)
    {
        var errno = -PosixFileCalls.Close(file.Descriptor);
        file.Descriptor = -1;
        Interlocked.Decrement(ref _openFiles);
        if (errno != 0)
            errors.ReportMetadata(item, "close", errno);
    }
}
