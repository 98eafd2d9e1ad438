using System.Threading.Channels;
using StashMount.Backends;
using StashMount.Repository;
using StashMount.Repository.Archiver;

namespace StashMount.Mount.Writable;

/// <summary>
/// The spool behind a writable mount: files closed under <c>new/</c> are ingested in the background (chunked,
/// deduplicated, compressed, encrypted and uploaded by the repository writer) and journaled by inode, size and
/// mtime, so a commit reads only what changed since. A commit turns the tree into one snapshot (path "/", the
/// tree's content at its root) and empties the tree.
/// </summary>
/// <remarks>
/// Files open for writing when the daemon is killed (or still open when it stops) are not committed: their data
/// may be half-written. They are moved to <c>incomplete/&lt;time&gt;/</c> in the spool and named in the log, so
/// nothing is lost and nothing half-done reaches a snapshot. Everything closed before a kill is committed after
/// the restart with the same spool.
/// </remarks>
public sealed partial class WriteSpool : IWriteSpool, IAsyncDisposable
{
    private readonly ResticRepository _repository;
    private readonly WriteSpoolOptions _options;
    private readonly SpoolDirectory _directory;
    private readonly SpoolJournal _journal;
    private readonly SpoolWriterSession _session;
    private readonly SpoolDurability _durability;
    private readonly ChangeGate _changes = new();
    private readonly ChangeGate _ingestions = new();
    private readonly SemaphoreSlim _commitLock = new(1, 1);
    private readonly Lock _stateLock = new();
    private readonly Dictionary<ulong, string> _openForWrite = [];
    private readonly Dictionary<ulong, long> _generations = [];
    private readonly Dictionary<ulong, IngestedFile> _ingested = [];
    private readonly HashSet<ulong> _ingesting = [];
    private readonly Channel<string> _closed = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private long _lastChangeTicks = DateTime.UtcNow.Ticks;
    private int _pendingIngestions;
    private Task _trashDeletion = Task.CompletedTask;

    private WriteSpool(ResticRepository repository, WriteSpoolOptions options, SpoolDirectory directory, SpoolJournal journal)
    {
        _repository = repository;
        _options = options;
        _directory = directory;
        _journal = journal;
        _session = new SpoolWriterSession(repository, options);
        _durability = new SpoolDurability(directory, journal, options.Log);
        _workers = Enumerable.Range(0, Math.Max(1, options.IngestWorkers)).Select(_ => Task.Run(IngestLoopAsync)).ToArray();
    }

    public string TreeRoot => _directory.TreeRoot;

    public string SpoolPath => _directory.Path;

    public event Action? TreeEmptied;

    /// <summary>Called after each commit with the new snapshot (the mount refreshes its listing).</summary>
    public Func<ObjectId, CancellationToken, Task>? Committed { get; set; }

    /// <summary>Files ingested in the background so far (for tests and statistics).</summary>
    public long FilesIngested => Interlocked.Read(ref _filesIngested);
    private long _filesIngested;

    /// <summary>Files the last commit had to read itself because no ingested version matched.</summary>
    public int LastCommitFilesRead { get; private set; }

    public int OpenFileCount
    {
        get { lock (_stateLock) return _openForWrite.Count; }
    }

    public DateTime LastChangeUtc => new(Interlocked.Read(ref _lastChangeTicks), DateTimeKind.Utc);

    /// <summary>Whether background ingestion has caught up with every close reported so far.</summary>
    public bool IngestionIdle => Volatile.Read(ref _pendingIngestions) == 0;

    /// <summary>Opens (or creates) the spool, finishes what a killed predecessor left and starts ingesting.</summary>
    public static async Task<WriteSpool> OpenAsync(ResticRepository repository, WriteSpoolOptions options, CancellationToken cancellationToken)
    {
        var directory = SpoolDirectory.Open(options.SpoolDirectory);
        try
        {
            await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
            var journal = SpoolJournal.Open(directory.JournalPath, CurrentBoot, out var state);
            if (state.CommittedSnapshot is null && state.PendingSnapshot is { } pending
                && await SnapshotExistsAsync(repository, pending, cancellationToken).ConfigureAwait(false))
                state.CommittedSnapshot = pending; // killed after the upload, before the commit record
            var spool = new WriteSpool(repository, options, directory, journal);
            spool.Recover(state);
            spool.ProbeXattrs();
            spool.StartFilePool();
            // What the predecessor left is durable from here on, before this run adds closes of its own.
            spool._durability.MarkDirty();
            spool._durability.SyncNow();
            spool.DeleteTrashInBackground();
            return spool;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    private static async Task<bool> SnapshotExistsAsync(ResticRepository repository, string id, CancellationToken cancellationToken)
    {
        try
        {
            await repository.Backend.StatAsync(new FileHandle(FileType.Snapshot, id), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BackendFileNotFoundException)
        {
            return false;
        }
    }

    public ValueTask<IDisposable> EnterChangeAsync(CancellationToken cancellationToken)
    {
        Touch();
        if (_session.Current is null)
            _ = WarmUp(); // the files that follow can then be ingested as they are written
        return _changes.EnterSharedAsync(cancellationToken);
    }

    public void FileOpenedForWrite(string relativePath) => OpenedForWrite(relativePath);

    private FileStatus? OpenedForWrite(string relativePath, FileStatus? known = null)
    {
        Touch();
        if ((known ?? TryStat(relativePath)) is not { } status)
            return null;
        lock (_stateLock)
        {
            _openForWrite[status.Inode] = relativePath;
            _generations[status.Inode] = _generations.GetValueOrDefault(status.Inode) + 1;
            _ingested.Remove(status.Inode);
            AbandonLiveLocked(status.Inode);
            Record(() => _journal.Opened(status.Inode));
        }
        return status;
    }

    public void FileClosed(string relativePath) => Closed(relativePath, TryStat(relativePath));

    /// <summary>Like <see cref="FileClosed(string)"/>, with the file's fstat taken before its last close (null: no link left).</summary>
    public void FileClosed(string relativePath, FileStatus? closed) => Closed(relativePath, closed);

    private void Closed(string relativePath, FileStatus? status)
    {
        Touch();
        LiveIngestion? live = null;
        lock (_stateLock)
        {
            if (status is { } s)
            {
                _openForWrite.Remove(s.Inode);
                _live.Remove(s.Inode, out live);
                // A file ingested while written gets its close journaled with its content (FinishLiveAsync).
                if (live is null || !s.IsRegular)
                    Record(() => _journal.Closed(s.Inode));
            }
            // Unlinked (or renamed) while open: forget it by the name it was opened with.
            foreach (var (inode, path) in _openForWrite.Where(p => p.Value == relativePath).ToList())
            {
                _openForWrite.Remove(inode);
                Record(() => _journal.Closed(inode));
                AbandonLiveLocked(inode);
            }
        }
        if (status is not { IsRegular: true } closed)
        {
            live?.Abandon();
        }
        else if (live is null)
        {
            Enqueue(relativePath);
        }
        else
        {
            // Counted before this returns, so a commit waiting for the ingestion to drain waits for this one too.
            Interlocked.Increment(ref _pendingIngestions);
            _ = FinishLiveAsync(relativePath, live, closed);
        }
        Settled();
    }

    /// <summary>
    /// A file whose writer saw an error is set aside in <c>incomplete/</c> like a file open at a kill, so a commit
    /// never holds half of it. A file already gone (the writer removed it) needs nothing.
    /// </summary>
    public void FileWriteFailed(string relativePath)
    {
        Touch();
        var status = TryStat(relativePath);
        if (status is not { } s)
            return;
        lock (_stateLock)
        {
            _openForWrite.Remove(s.Inode);
            _ingested.Remove(s.Inode);
            AbandonLiveLocked(s.Inode);
            Record(() => _journal.Closed(s.Inode));
        }
        Settled();
        if (!s.IsRegular)
            return;
        var batch = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var target = _directory.MoveToIncomplete(Path.Combine(TreeRoot, relativePath), batch);
            _options.Log($"{relativePath}: a write to it failed, so it is not committed; kept as {target}");
        }
        catch (IOException e)
        {
            _options.Log($"{relativePath}: a write to it failed and it could not be set aside ({e.Message}); it will be committed as written");
        }
    }

    /// <summary>
    /// Restarts the idle timer and looks at the entry again: a file renamed into place after its close (rsync's
    /// temp file) is ingested under its new name; entries that are no file, or already ingested, are skipped.
    /// </summary>
    public void Changed(string relativePath)
    {
        Touch();
        _durability.MarkDirty();
        Enqueue(relativePath);
    }

    private void DeleteTrashInBackground()
    {
        lock (_stateLock)
            _trashDeletion = _trashDeletion.ContinueWith(_ => _directory.DeleteTrash(), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The kernel's boot_id: a journal from another boot may name closed files whose data never reached the disk.</summary>
    private static readonly string? CurrentBoot = ReadBootId();

    private static string? ReadBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastChangeTicks, DateTime.UtcNow.Ticks);

    private string FullPath(string relativePath) => relativePath.Length == 0 ? TreeRoot : Path.Join(TreeRoot, relativePath);

    private FileStatus? TryStat(string relativePath) => TryStatFull(FullPath(relativePath));

    // A journal that cannot be written (spool disk full) costs re-reading files at the commit, never data.
    private void Record(Action append)
    {
        _durability.MarkDirty();
        try
        {
            append();
        }
        catch (IOException e)
        {
            _options.Log($"spool journal: {e.Message}");
        }
    }

    private void Enqueue(string relativePath)
    {
        Interlocked.Increment(ref _pendingIngestions);
        if (!_closed.Writer.TryWrite(relativePath))
            Interlocked.Decrement(ref _pendingIngestions);
    }

    public async ValueTask DisposeAsync()
    {
        _closed.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await Task.WhenAll(_workers).ConfigureAwait(false); } catch (OperationCanceledException) { }
        Task trash;
        lock (_stateLock)
            trash = _trashDeletion;
        await trash.ConfigureAwait(false);
        _pool?.Dispose();
        await _session.DisposeAsync().ConfigureAwait(false);
        await _durability.DisposeAsync().ConfigureAwait(false);
        _journal.Dispose();
        _directory.Dispose();
        _stop.Dispose();
        _commitLock.Dispose();
    }
}
