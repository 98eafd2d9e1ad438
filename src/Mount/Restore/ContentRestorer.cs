using StashMount.Repository;
using StashMount.Repository.Chunker;
using StashMount.Repository.Index;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Restore;

/// <summary>
/// Fills the files while the trees are still being walked: the walk adds each file's blobs, and every batch of them
/// is grouped by pack into ranges queued to readers that start at once (as many in parallel as the backend serves
/// well). Each range is read once and every blob is written to each place that needs it with positional writes, so
/// no file is ever read back or written in order. A file is opened once, on its first blob, and closed after its last
/// one with its metadata set through the same descriptor. So a big file streams in while the trees of thousands of
/// small files after it are still loading.
/// </summary>
public sealed class ContentRestorer
{
    // Files waiting for blobs from later packs keep their descriptor; past this many, a file is closed after each
    // write and reopened for the next one, so the descriptor limit is never reached.
    private const int MaxOpenFiles = 512;
    // Ranges are cut short enough that their pooled buffers are reused, not freshly faulted in, by the parallel readers.
    // A buffer holds its range plus a page of slack for alignment; these lengths make each buffer a whole number of
    // 2 MiB huge pages (PageBuffer): in this VM every first touch of a 4 KiB page costs ~12 us, of a huge page about
    // the same as one 4 KiB page once the memory was used before.
    private const int MaxRangeLength = 4 * 1024 * 1024 - 4096;

    private readonly ResticRepository _repository;
    private readonly RestoreErrors _errors;
    private readonly RestoreProgress _progress;
    private readonly MetadataRestorer _metadata;
    private readonly int _batchBlobs;
    private readonly long _batchBytes;
    // The walk's side: the newest delivery of each blob (one a later file may still join) and the batch not yet queued.
    private readonly Dictionary<ObjectId, BlobDelivery> _latest = [];
    private List<BlobDelivery> _batch = [];
    private long _batchLength;
    // A stored blob of the chunker's largest size (plus its encryption and zstd framing) is read as one range, too.
    private const int MaxBlobRangeLength = ContentDefinedChunker.MaxSize + 2 * 1024 * 1024 - 4096;

    private readonly RangeQueue _queue = new();
    private readonly RangeBufferPool _buffers = new(MaxRangeLength, MaxBlobRangeLength);
    // Large blobs are decoded into these, placed to line up with their file offset: written directly from there.
    private readonly RangeBufferPool _plaintexts = new(MaxRangeLength, MaxBlobRangeLength);
    private readonly DirectFileWrites _writes = new(new RangeBufferPool(MaxRangeLength), MaxRangeLength);
    private readonly CancellationTokenSource _stop;
    private readonly Task _readers;
    private int _openFiles;

    /// <param name="batchBlobs">A batch is queued once it holds this many blobs (or 8 MiB of them): a small batch starts the readers early, a big one merges more blobs into one read.</param>
    public ContentRestorer(ResticRepository repository, RestoreErrors errors, RestoreProgress progress, CancellationToken cancellationToken, int batchBlobs = 1024)
    {
        _repository = repository;
        _errors = errors;
        _progress = progress;
        _metadata = new MetadataRestorer(errors);
        _batchBlobs = batchBlobs;
        _batchBytes = 8L * 1024 * 1024;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _readers = Task.Run(() => ReadQueueAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Cancelled when the restore is cancelled or a reader failed: the walk stops then.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Adds a file's content (its blobs in file order, all found in the index); called by the walk only.</summary>
    public void Add(RestoreItem item, IReadOnlyList<PackedBlob> blobs)
    {
        long offset = 0;
        foreach (var blob in blobs)
        {
            var target = new BlobTarget(item, offset);
            offset += blob.PlaintextLength;
            if (_latest.TryGetValue(blob.Id, out var delivery) && delivery.TryAdd(target))
                continue;
            delivery = new BlobDelivery(blob);
            delivery.TryAdd(target);
            _latest[blob.Id] = delivery;
            _batch.Add(delivery);
            _batchLength += blob.Length;
        }
        if (_batch.Count >= _batchBlobs || _batchLength >= _batchBytes)
            Flush();
    }

    /// <summary>Queues what was added so far to the readers (the walk calls this before it waits for a tree).</summary>
    public void Flush()
    {
        if (_batch.Count == 0)
            return;
        var deliveries = new Dictionary<ObjectId, BlobDelivery>(_batch.Count);
        foreach (var delivery in _batch)
            deliveries[delivery.Blob.Id] = delivery;
        foreach (var range in PackRange.Plan(_batch.ConvertAll(d => d.Blob), maxLength: MaxRangeLength))
            _queue.Add(new RangeDelivery(range, deliveries));
        _batch = [];
        _batchLength = 0;
    }

    /// <summary>Queues the last batch and waits until every file is written.</summary>
    public async Task CompleteAsync()
    {
        Flush();
        _queue.Complete();
        await _readers.ConfigureAwait(false);
    }

    /// <summary>Stops the readers after the walk failed; rethrows a reader's own failure, which is the cause then.</summary>
    public async Task AbortAsync()
    {
        _queue.Complete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _readers.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadQueueAsync(CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _repository.Backend.Connections), CancellationToken = cancellationToken };
        try
        {
            await Parallel.ForEachAsync(_queue.TakeAllAsync(cancellationToken), options, async (queued, ct) =>
            {
                try
                {
                    await PackRangeReader.ReadAsync(_repository, queued.Range,
                        (blob, plaintext) => WriteBlob(queued.Deliveries[blob.Id], plaintext),
                        (blob, error) => FailBlob(queued.Deliveries[blob.Id], error), ct, _buffers,
                        (_plaintexts, blob => DirectOffset(queued.Deliveries[blob.Id]))).ConfigureAwait(false);
                }
                finally
                {
                    _queue.Done(queued);
                }
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _buffers.Dispose();
            _plaintexts.Dispose();
            _writes.Dispose();
        }
    }

    /// <summary>
    /// The file offset a blob's plaintext should line up with in memory: its first target's when that write goes
    /// (partly) direct, else -1. Its targets are taken now, before it is decoded, so this is the one the write uses.
    /// </summary>
    private long DirectOffset(BlobDelivery delivery)
    {
        var targets = delivery.Take();
        return targets.Count > 0 && _writes.Qualifies(targets[0].Offset, (int)delivery.Blob.PlaintextLength) ? targets[0].Offset : -1;
    }

    private ValueTask WriteBlob(BlobDelivery delivery, ReadOnlyMemory<byte> plaintext)
    {
        foreach (var target in delivery.Take())
            if (Deliver(target, plaintext.Span, written: true))
                _progress.AddBytes(plaintext.Length);
        return ValueTask.CompletedTask;
    }

    private ValueTask FailBlob(BlobDelivery delivery, Exception error)
    {
        var pack = delivery.Blob.PackId.ToString();
        var message = error.Message.Contains(pack, StringComparison.Ordinal) || error.Message.Contains(pack[..8], StringComparison.Ordinal)
            ? error.Message
            : $"{error.Message} (blob {delivery.Blob.Id.ToShortString()} in pack {pack})";
        foreach (var target in delivery.Take())
        {
            _errors.Report(target.File, message);
            // The file is still made at its full size, as restic leaves it, with what its other blobs hold.
            Deliver(target, default, written: false);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Writes one blob into one file (or only accounts for it when it failed); true when the bytes landed. The write
    /// itself runs outside the file's lock, so the blobs of one big file are written by several readers at once (direct
    /// writes wait on the disk); the descriptors stay open while any write is in flight.
    /// </summary>
    private bool Deliver(BlobTarget target, ReadOnlySpan<byte> data, bool written)
    {
        var item = target.File;
        var file = item.Content!;
        int fd = -1, directFd = -1;
        lock (file.Gate)
        {
            if (file.Descriptor < 0 && !(item.Failed && file.Created))
                Open(item, file);
            if (written && !item.Failed && file.Descriptor >= 0)
            {
                fd = file.Descriptor;
                if (file.DirectDescriptor < 0 && _writes.Qualifies(target.Offset, data.Length))
                    file.DirectDescriptor = _writes.OpenDirect(item.TargetPath);
                directFd = file.DirectDescriptor;
                file.Writes++;
            }
        }
        var errno = fd < 0 ? 0 : -_writes.Write(fd, directFd, data, target.Offset);
        lock (file.Gate)
        {
            file.PendingBlobs--;
            if (fd >= 0)
            {
                file.Writes--;
                if (errno != 0)
                    _errors.ReportMetadata(item, "pwrite", errno);
            }
            // The last blob's delivery comes after every other one's write: metadata and close see the whole content.
            if (file.Descriptor >= 0 && file.Writes == 0)
            {
                if (file.PendingBlobs == 0 && !file.MadeByPlanner)
                    _metadata.Apply(item, file.Descriptor);
                if (file.PendingBlobs == 0 || Volatile.Read(ref _openFiles) > MaxOpenFiles)
                    Close(item, file);
            }
        }
        return fd >= 0 && errno == 0;
    }

    private void Open(RestoreItem item, TargetFile file)
    {
        var descriptor = file.Created ? PosixFileCalls.OpenForWrite(item.TargetPath, create: false) : Create(item, file);
        if (descriptor < 0)
        {
            _errors.ReportMetadata(item, "open", -descriptor);
            return;
        }
        Interlocked.Increment(ref _openFiles);
        file.Descriptor = descriptor;
        if (!file.Created && file.BlobCount > 1)
        {
            // Full size up front, as restic preallocates: later blobs may come first. Allocated, not sparse: a direct
            // write into allocated blocks shares the file's lock with the others (ext4), one that allocates holds it
            // alone while the disk writes, and every other reader's write to the file spun on it.
            var errno = -PosixFileCalls.Preallocate(descriptor, file.Size);
            if (errno != 0)
                _errors.ReportMetadata(item, "fallocate", errno);
        }
        file.Created = true;
    }

    /// <summary>
    /// Creates the file, with its final mode when that is possible (one blob: it is never reopened; no xattrs, which may
    /// set the mode), so that its metadata may need no fchown and no fchmod. Something already at the path is truncated.
    /// </summary>
    private static int Create(RestoreItem item, TargetFile file)
    {
        var node = item.Node;
        var mode = item.Defaults is { } defaults && file.BlobCount == 1 && node.ExtendedAttributes.Count == 0
            ? defaults.CreateMode(GoFileMode.ToPosix(node.Mode) & ~GoFileMode.PosixTypeMask)
            : null;
        var descriptor = PosixFileCalls.CreateExclusive(item.TargetPath, mode ?? 0x180);
        if (descriptor == -PosixFileCalls.EExist)
            return PosixFileCalls.OpenForWrite(item.TargetPath, create: true);
        file.Fresh = descriptor >= 0 && item.Defaults is not null;
        file.CreatedMode = file.Fresh ? mode : null;
        return descriptor;
    }

    private void Close(RestoreItem item, TargetFile file)
    {
        if (file.DirectDescriptor >= 0)
            PosixFileCalls.Close(file.DirectDescriptor);
        file.DirectDescriptor = -1;
        var errno = -PosixFileCalls.Close(file.Descriptor);
        file.Descriptor = -1;
        Interlocked.Decrement(ref _openFiles);
        if (errno != 0)
            _errors.ReportMetadata(item, "close", errno);
    }
}
