using StashMount.Repository;
using StashMount.Repository.Archiver;

namespace StashMount.Mount.Writable;

/// <summary>
/// A file created under <c>new/</c> being ingested while it is written: each write that continues exactly where the
/// last one ended is also pushed to the chunker (the spool file still gets every byte, for durability), so at the
/// close a small file needs no read of the spool and a big one is mostly hashed and queued already. Anything else
/// (a write elsewhere, a truncate, a second writer, a failure) abandons it, and the spool ingests the closed file
/// by reading it, as without this. Never fails a write: ingestion trouble only costs that read.
/// </summary>
public sealed class LiveIngestion
{
    // Held while a write pushes (or waits for room): a second write at the same time means the writes are not one
    // ordered stream, so it abandons instead of waiting.
    private readonly SemaphoreSlim _busy = new(1, 1);
    private readonly PushedFileArchiver _archiver;
    private volatile bool _abandoned;
    private bool _disposed;

    internal LiveIngestion(PushedFileArchiver archiver, long generation)
    {
        _archiver = archiver;
        Generation = generation;
    }

    /// <summary>The spool's open count of the file when this started; another open for writing since makes it void.</summary>
    internal long Generation { get; }

    /// <summary>Bytes ingested so far: the offset the next write must have.</summary>
    internal long Size => _archiver.Size;

    /// <summary>
    /// The write of <paramref name="data"/> at <paramref name="offset"/> reached the spool file. The returned task
    /// completes when there is room for the next write (chunks still being hashed hold their buffers).
    /// </summary>
    public ValueTask Written(long offset, ReadOnlySpan<byte> data)
    {
        if (_abandoned)
            return ValueTask.CompletedTask;
        if (!_busy.Wait(0))
        {
            _abandoned = true;
            return ValueTask.CompletedTask;
        }
        var release = true;
        try
        {
            if (_abandoned || _disposed)
                return ValueTask.CompletedTask;
            if (offset != _archiver.Size)
            {
                AbandonHeld();
                return ValueTask.CompletedTask;
            }
            _archiver.Push(data);
            if (!_archiver.IsBusy)
                return ValueTask.CompletedTask;
            release = false;
            return _archiver.WriterReady.IsCompletedSuccessfully ? WaitForRoomAsync() : WaitForWriterAsync();
        }
        catch (Exception)
        {
            AbandonHeld();
            return ValueTask.CompletedTask;
        }
        finally
        {
            if (release)
                _busy.Release();
        }
    }

    private async ValueTask WaitForRoomAsync()
    {
        try
        {
            await _archiver.WaitForRoomAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            AbandonHeld();
        }
        finally
        {
            _busy.Release();
        }
    }

    /// <summary>
    /// The writer is still being prepared (index, lock: the first file after the mount or a commit). A moment is
    /// worth waiting for; a slow or unreachable backend is not: then this file is read after its close instead.
    /// </summary>
    private async ValueTask WaitForWriterAsync()
    {
        try
        {
            await _archiver.WriterReady.WaitAsync(WriterWait).ConfigureAwait(false);
            await _archiver.WaitForRoomAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            AbandonHeld();
        }
        finally
        {
            _busy.Release();
        }
    }

    private static readonly TimeSpan WriterWait = TimeSpan.FromSeconds(1);

    /// <summary>The file changed in a way the pushed bytes do not show (truncated, opened by another writer, a failed write).</summary>
    public void Abandon()
    {
        _abandoned = true;
        if (!_busy.Wait(0))
            return; // the write in progress sees the flag
        try
        {
            AbandonHeld();
        }
        finally
        {
            _busy.Release();
        }
    }

    private void AbandonHeld()
    {
        _abandoned = true;
        if (_disposed)
            return;
        _disposed = true;
        _archiver.Dispose();
    }

    /// <summary>
    /// The file was closed: its data blob IDs in order, once every chunk is hashed and queued; null when it was
    /// abandoned or ingestion failed (the spool then reads the file).
    /// </summary>
    internal async Task<List<ObjectId>?> FinishAsync(CancellationToken cancellationToken)
    {
        await _busy.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_abandoned || _disposed)
            {
                AbandonHeld();
                return null;
            }
            _disposed = true;
            return await _archiver.FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _archiver.Dispose();
            return null;
        }
        finally
        {
            _busy.Release();
        }
    }
}
