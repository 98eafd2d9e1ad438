using StashMount.Repository.Archiver;

namespace StashMount.Mount.Writable;

public sealed partial class WriteSpool
{
    private int _ingestFailing;

    private async Task IngestLoopAsync()
    {
        try
        {
            await foreach (var relative in _closed.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await IngestAsync(relative, _stop.Token).ConfigureAwait(false);
                    Interlocked.Exchange(ref _ingestFailing, 0);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    // Nothing is lost: the file stays in the spool and the commit reads it. Said once per failure streak.
                    if (Interlocked.Exchange(ref _ingestFailing, 1) == 0)
                        _options.Log($"background ingestion failed, files will be read at the commit: {e.Message.ReplaceLineEndings(" ")}");
                    await _session.DropAsync(failed: true).ConfigureAwait(false);
                }
                finally
                {
                    IngestionEnded();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task IngestAsync(string relativePath, CancellationToken cancellationToken)
    {
        using var scope = await _ingestions.EnterSharedAsync(cancellationToken).ConfigureAwait(false);
        var full = FullPath(relativePath);
        if (TryStatFull(full) is not { IsRegular: true } before)
            return; // gone (renamed, removed, committed) or not a file any more
        long generation;
        lock (_stateLock)
        {
            if (_openForWrite.ContainsKey(before.Inode))
                return; // opened again: its close queues it again
            if (_ingested.TryGetValue(before.Inode, out var known) && known.Matches(before))
                return; // only metadata changed (chmod, utimes, rename): the content is known
            if (!_ingesting.Add(before.Inode))
                return; // the close and a rename both queued it; one read is enough
            generation = _generations.GetValueOrDefault(before.Inode);
        }
        try
        {
            var (_, archiver, _) = await _session.GetAsync(cancellationToken).ConfigureAwait(false);
            var (content, size) = await archiver.ReadFileAsync(full, before.Size, cancellationToken).ConfigureAwait(false);
            var file = IngestedFile.Of(before, content);
            if (size != before.Size || TryStatFull(full) is not { } after || !file.Identical(after))
                return; // changed while it was read; the commit reads it
            lock (_stateLock)
            {
                if (_generations.GetValueOrDefault(before.Inode) != generation || _openForWrite.ContainsKey(before.Inode))
                    return;
                _ingested[before.Inode] = file;
                Record(() => _journal.Ingested(file));
            }
            Interlocked.Increment(ref _filesIngested);
        }
        finally
        {
            lock (_stateLock)
                _ingesting.Remove(before.Inode);
        }
    }

    private static FileStatus? TryStatFull(string fullPath)
    {
        try
        {
            return DirectoryArchiver.Stat(fullPath);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The ingested content of a file in the tree, if that version was ingested and not opened for writing since.</summary>
    private IReadOnlyList<StashMount.Repository.ObjectId>? KnownContent(string fullPath, FileStatus status)
    {
        lock (_stateLock)
            return _ingested.TryGetValue(status.Inode, out var file) && file.Matches(status) ? file.Content : null;
    }
}
