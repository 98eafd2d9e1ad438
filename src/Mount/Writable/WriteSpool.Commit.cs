using StashMount.Backends;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;
using StashMount.Repository;
using StashMount.Repository.Locks;
using StashMount.Repository.Snapshots;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Writable;

public sealed partial class WriteSpool
{
    private static readonly TimeSpan OpenFilePoll = TimeSpan.FromMilliseconds(100);
    private bool _emptyingPending;

    /// <summary>
    /// Commits the tree as one snapshot and empties it; null when the tree is empty (no empty snapshots). Waits
    /// until no file is open for writing, then holds every change to <c>new/</c> off until done. With
    /// <paramref name="stopping"/> (the mount is gone) it does not wait: files still open are moved to
    /// <c>incomplete/</c> instead of being committed half-written. On failure everything stays in the spool.
    /// </summary>
    public async Task<ObjectId?> CommitAsync(bool stopping, CancellationToken cancellationToken)
    {
        await _commitLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        ObjectId? id;
        try
        {
            using var changes = await EnterExclusiveWithoutOpenFilesAsync(stopping, cancellationToken).ConfigureAwait(false);
            using var ingestions = await _ingestions.EnterExclusiveAsync(cancellationToken).ConfigureAwait(false);
            if (stopping)
                MoveOpenFilesAside();
            id = await CommitTreeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _commitLock.Release();
        }
        if (Interlocked.Exchange(ref _listing, null) is { } listing)
            await listing.ConfigureAwait(false);
        return id;
    }

    // The listing's refresh (index and snapshots read again) started once the snapshot is saved, so it runs while
    // the tree is emptied and the session closed; the commit answers when both are done.
    private Task? _listing;

    // The index files the commit's writer saved go into the mount's index as they are: the refresh then lists them
    // but does not read them back (for 20,000 small files, one file of 20,000 entries to decrypt and parse).
    private async Task RefreshListingAsync(ObjectId committed, IReadOnlyList<(ObjectId File, IReadOnlyList<PackedBlob>? Blobs)> savedIndex,
        CancellationToken cancellationToken)
    {
        if (Committed is not { } notify)
            return;
        try
        {
            foreach (var (file, blobs) in savedIndex)
                if (blobs is not null)
                    await _repository.AddSavedIndexAsync(file, blobs, cancellationToken).ConfigureAwait(false);
            await notify(committed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _options.Log($"snapshot {committed.ToShortString()} saved, but the listing could not be refreshed: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private async Task<IDisposable> EnterExclusiveWithoutOpenFilesAsync(bool stopping, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!stopping)
                await WaitUntilAsync(() => OpenFileCount == 0, cancellationToken).ConfigureAwait(false);
            // Let the background ingestion (parallel, pipelined) finish what is queued: what it leaves, the commit reads one file at a time.
            await WaitUntilAsync(() => IngestionIdle, cancellationToken).ConfigureAwait(false);
            var scope = await _changes.EnterExclusiveAsync(cancellationToken).ConfigureAwait(false);
            if (stopping || OpenFileCount == 0)
                return scope;
            scope.Dispose(); // a file was opened meanwhile: let its writer finish
        }
    }

    // Completed and replaced when a file is closed or an ingestion ends while a commit waits for that: the commit
    // goes on at once (cp of a big file then commit: its last chunks are packed a moment after the close), the
    // poll is only a fallback.
    private TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _settledWaiters;

    private async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _settledWaiters);
        try
        {
            while (true)
            {
                var settled = Volatile.Read(ref _settled).Task;
                if (condition())
                    return;
                try
                {
                    await settled.WaitAsync(OpenFilePoll, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _settledWaiters);
        }
    }

    private void Settled()
    {
        if (Volatile.Read(ref _settledWaiters) > 0)
            Interlocked.Exchange(ref _settled, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private void IngestionEnded()
    {
        if (Interlocked.Decrement(ref _pendingIngestions) == 0)
            Settled();
    }

    private async Task<ObjectId?> CommitTreeAsync(CancellationToken cancellationToken)
    {
        if (_emptyingPending)
        {
            FinishCommit(); // the last snapshot was saved but emptying the tree failed: finish that, commit nothing twice
            return null;
        }
        if (_directory.TreeIsEmpty())
            return null;
        var committed = false;
        try
        {
            var (writer, archiver, repository) = await _session.GetAsync(cancellationToken).ConfigureAwait(false);
            var start = GoTime.Now();
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var tree = await archiver.ArchiveContentsAsync(TreeRoot, KnownContent, (_, _) => false, TreeMayHaveXattrs, cancellationToken).ConfigureAwait(false);
            LastCommitFilesRead = archiver.FilesRead;
            // Packs, then index files, then the snapshot: a crash in between never leaves a snapshot pointing at missing data.
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            var snapshot = new NewSnapshot
            {
                Time = start,
                Tree = tree,
                Paths = ["/"],
                Hostname = _options.Hostname,
                Username = Environment.UserName,
                Uid = PosixProcess.Uid,
                Gid = PosixProcess.Gid,
                Tags = _options.Tags,
            };
            var id = await SaveSnapshotAsync(repository, snapshot, cancellationToken).ConfigureAwait(false);
            committed = true;
            var savedIndex = writer.SavedIndexFiles.ToList();
            _listing = Task.Run(() => RefreshListingAsync(id, savedIndex, cancellationToken), CancellationToken.None);
            try
            {
                _journal.Committed(id);
            }
            catch (IOException e)
            {
                // Spool disk full: the snapshot is saved, so the tree is emptied all the same (which frees the disk);
                // only a kill within the next moments would commit the same content twice.
                _options.Log($"spool journal: {e.Message}");
            }
            FinishCommit();
            _options.Log($"committed snapshot {id.ToShortString()} in {stopwatch.Elapsed.TotalSeconds:0.0}s ({LastCommitFilesRead} files read by the commit, {FilesIngested} ingested in the background since the mount)");
            return id;
        }
        finally
        {
            await _session.DropAsync(failed: !committed).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Saves the snapshot file as ResticRepository.SaveUnpackedAsync does, but journals its id (the hash of the
    /// encrypted bytes, known before the upload) first: a daemon killed between the upload and the <c>commit</c>
    /// record finds the snapshot at its restart and empties the tree instead of committing it a second time.
    /// </summary>
    private async Task<ObjectId> SaveSnapshotAsync(ResticRepository repository, NewSnapshot snapshot, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> json = SnapshotSerializer.Serialize(snapshot);
        var stored = AuthenticatedEncryption.Encrypt(repository.Key, UnpackedEncoding.Encode(json.Span, repository.Config.Version));
        var id = ObjectId.Hash(stored);
        try
        {
            _journal.Committing(id);
        }
        catch (IOException e)
        {
            _options.Log($"spool journal: {e.Message}"); // only a kill during the upload would commit the tree twice
        }
        await repository.Backend.SaveAsync(new FileHandle(FileType.Snapshot, id.ToString()), stored, cancellationToken).ConfigureAwait(false);
        return id;
    }

    // The snapshot is saved and journaled: a kill from here on ends in the same state after the restart.
    private void FinishCommit()
    {
        _emptyingPending = true;
        _directory.EmptyTree();
        _xattrsSet = false;
        _journal.Reset();
        _emptyingPending = false;
        AbandonAllLive();
        lock (_stateLock)
        {
            _ingested.Clear();
            _generations.Clear();
            _openForWrite.Clear();
        }
        TreeEmptied?.Invoke();
        DeleteTrashInBackground();
    }

    private void MoveOpenFilesAside()
    {
        List<string> open;
        lock (_stateLock)
            open = [.. _openForWrite.Values];
        if (open.Count == 0)
            return;
        var batch = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var relative in open)
        {
            var full = FullPath(relative);
            if (!File.Exists(full))
                continue;
            var target = _directory.MoveToIncomplete(full, batch);
            _options.Log($"{relative} was still open for writing: not committed, kept as {target}");
        }
        lock (_stateLock)
            _openForWrite.Clear();
    }
}
