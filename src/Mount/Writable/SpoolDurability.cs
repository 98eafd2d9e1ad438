namespace StashMount.Mount.Writable;

/// <summary>
/// Makes what reaches the spool durable in groups: one syncfs(2) of the spool's file system at most once per
/// <see cref="Interval"/> while changes come in, instead of an fsync per closed file (each one a commit of the
/// disk's journal, most of the time of a <c>cp -a</c> of small files). A SIGKILL needs none of it: the page cache
/// outlives the process. A power loss does, so after each sync the journal records how far it is durable
/// (<see cref="SpoolJournal.Synced"/>), and a restart in a later boot sets aside the files closed after that point.
/// </summary>
internal sealed class SpoolDurability : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly SpoolDirectory _directory;
    private readonly SpoolJournal _journal;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _syncLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _dirty;
    private int _failing;

    public SpoolDurability(SpoolDirectory directory, SpoolJournal journal, Action<string> log)
    {
        _directory = directory;
        _journal = journal;
        _log = log;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Something was written to the tree or the journal: a sync follows within <see cref="Interval"/>.</summary>
    public void MarkDirty()
    {
        if (Volatile.Read(ref _dirty) != 0 || Interlocked.Exchange(ref _dirty, 1) != 0)
            return;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
    }

    /// <summary>Syncs at once if anything changed since the last sync.</summary>
    public void SyncNow()
    {
        lock (_syncLock)
        {
            if (Interlocked.Exchange(ref _dirty, 0) == 0)
                return;
            // Only records written before syncfs started are covered by it.
            var covered = _journal.Length;
            try
            {
                _directory.SyncFileSystem();
                _journal.Synced(covered);
                Interlocked.Exchange(ref _failing, 0);
            }
            catch (IOException e)
            {
                if (Interlocked.Exchange(ref _failing, 1) == 0)
                    _log($"spool sync failed, retrying: {e.Message}");
                MarkDirty();
            }
        }
    }

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                await _wake.WaitAsync(_stop.Token).ConfigureAwait(false);
                await Task.Delay(Interval, _stop.Token).ConfigureAwait(false); // a burst of changes shares one sync
                SyncNow();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        SyncNow();
        _stop.Dispose();
        _wake.Dispose();
    }
}
