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
    private async Task FinishLiveAsync(string relativePath, LiveIngestion live, FileStatus status)
    {
        var read = false;
        try
        {
            using var scope = await _ingestions.EnterSharedAsync(_stop.Token).ConfigureAwait(false);
            var content = await live.FinishAsync(_stop.Token).ConfigureAwait(false);
            if (content is null || live.Size != status.Size)
            {
                read = true;
                return;
            }
            lock (_stateLock)
            {
                if (_generations.GetValueOrDefault(status.Inode) != live.Generation || _openForWrite.ContainsKey(status.Inode))
                    return; // opened for writing again meanwhile: its close ingests it
                var file = IngestedFile.Of(status, content);
                _ingested[status.Inode] = file;
                Record(() => _journal.Ingested(file));
            }
            Interlocked.Increment(ref _filesIngested);
        }
        catch (Exception)
        {
            read = true; // stopping, or the writer failed: the file is read by the background ingestion or the commit
        }
        finally
        {
            if (read)
                Enqueue(relativePath);
            IngestionEnded();
        }
    }
}
