using StashMount.Repository.Archiver;
using StashMount.Repository.Writer;

namespace StashMount.Mount.Writable;

public sealed partial class WriteSpool
{
    private readonly Dictionary<ulong, LiveIngestion> _live = [];
    private Task<RepositoryWriter>? _warmUp;

    /// <summary>
    /// A file was created for writing by a handle that only writes (cp, tar): its data is ingested as it is written
    /// when the writes come in order (<see cref="LiveIngestion"/>), else it is ingested after the close as usual.
    /// Without a writer yet (the first file after the mount or a commit), one is prepared meanwhile; the file's
    /// writes never wait for that (the repository may be slow or unreachable).
    /// </summary>
    public LiveIngestion? FileCreatedForWrite(string relativePath, FileStatus created)
    {
        if (OpenedForWrite(relativePath, created) is not { IsRegular: true, Size: 0 } status)
            return null;
        var writer = _session.Current is { } current ? Task.FromResult(current.Writer) : WarmUp();
        lock (_stateLock)
        {
            if (!_openForWrite.ContainsKey(status.Inode))
                return null;
            var live = new LiveIngestion(new PushedFileArchiver(_repository, writer), _generations.GetValueOrDefault(status.Inode));
            _live[status.Inode] = live;
            return live;
        }
    }

    /// <summary>Prepares the writer (index loaded, lock taken) in the background, once at a time.</summary>
    private Task<RepositoryWriter> WarmUp()
    {
        lock (_stateLock)
        {
            if (_warmUp is { IsCompleted: false } running)
                return running;
            return _warmUp = Task.Run(async () => (await _session.GetAsync(_stop.Token).ConfigureAwait(false)).Writer);
        }
    }

    /// <summary>Forgets the live ingestion of an inode that is written otherwise now; under <see cref="_stateLock"/>.</summary>
    private void AbandonLiveLocked(ulong inode)
    {
        if (_live.Remove(inode, out var live))
            live.Abandon();
    }

    private void AbandonAllLive()
    {
        lock (_stateLock)
        {
            foreach (var live in _live.Values)
                live.Abandon();
            _live.Clear();
        }
    }

    /// <summary>
    /// The file's last writer closed it and its bytes were all pushed: once its last chunks are queued, that
    /// content is known for this version of the file, as if it had been read by the background ingestion.
    /// </summary>
    /// <remarks>
    /// The close itself is journaled here: with the content in one record when the finish needs no wait (a small
    /// file, whose only chunk is saved on this thread), else as soon as it would wait, so a kill meanwhile still
    /// finds the file closed. Either only while no open for writing came after the close.
    /// </remarks>
    private async Task FinishLiveAsync(string relativePath, LiveIngestion live, FileStatus status)
    {
        var read = false;
        var closeJournaled = false;
        try
        {
            var entering = _ingestions.EnterSharedAsync(_stop.Token);
            if (!entering.IsCompleted)
                closeJournaled = JournalClose(status.Inode, live);
            using var scope = await entering.ConfigureAwait(false);
            var finishing = live.FinishAsync(_stop.Token);
            if (!finishing.IsCompleted && !closeJournaled)
                closeJournaled = JournalClose(status.Inode, live);
            var content = await finishing.ConfigureAwait(false);
            if (content is null || live.Size != status.Size)
            {
                read = true;
                return;
            }
            lock (_stateLock)
            {
                if (!IsLastVersionLocked(status.Inode, live))
                    return; // opened for writing again meanwhile: its close ingests it
                var file = IngestedFile.Of(status, content);
                _ingested[status.Inode] = file;
                Record(closeJournaled ? () => _journal.Ingested(file) : () => _journal.ClosedIngested(file));
                closeJournaled = true;
            }
            Interlocked.Increment(ref _filesIngested);
        }
        catch (Exception)
        {
            read = true; // stopping, or the writer failed: the file is read by the background ingestion or the commit
        }
        finally
        {
            if (!closeJournaled)
                JournalClose(status.Inode, live);
            if (read)
                Enqueue(relativePath);
            IngestionEnded();
        }
    }

    // Journals the close that FileClosed left to FinishLiveAsync; returns true (journaled, or void by a later open).
    private bool JournalClose(ulong inode, LiveIngestion live)
    {
        lock (_stateLock)
            if (IsLastVersionLocked(inode, live))
                Record(() => _journal.Closed(inode));
        return true;
    }

    // Under _stateLock: no open for writing came after the close that ended this live ingestion.
    private bool IsLastVersionLocked(ulong inode, LiveIngestion live) =>
        _generations.GetValueOrDefault(inode) == live.Generation && !_openForWrite.ContainsKey(inode);
}
