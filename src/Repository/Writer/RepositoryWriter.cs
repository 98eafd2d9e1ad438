using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using StashMount.Backends;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;

namespace StashMount.Repository.Writer;

/// <summary>
/// Adds blobs to a repository as restic does: deduplicated against the index and within the run, compressed
/// and encrypted by parallel workers, packed per blob type, packs uploaded in parallel, index files written
/// only after their packs are stored. Call <see cref="FlushAsync"/> before saving a snapshot that refers to
/// the blobs, so a snapshot never points at missing data.
/// </summary>
public sealed class RepositoryWriter : IAsyncDisposable
{
    private readonly ResticRepository _repository;
    private readonly WriterOptions _options;
    private readonly ConcurrentDictionary<(ObjectId, BlobType), byte> _seen = new();
    private readonly Channel<EncodeJob> _jobs;
    private readonly Task[] _workers;
    private readonly PackBuilder?[] _packers = new PackBuilder?[2];
    private readonly Lock _packerLock = new();
    private readonly SemaphoreSlim _uploadSlots;
    private readonly ConcurrentBag<Task> _uploads = [];
    private readonly IndexFileAccumulator _index;
    private readonly CancellationTokenSource _failed = new();
    private Exception? _failure;
    private bool _flushed;

    public RepositoryWriter(ResticRepository repository, WriterOptions? options = null)
    {
        _repository = repository;
        _options = options ?? new WriterOptions();
        _uploadSlots = new SemaphoreSlim(Math.Max(1, repository.Backend.Connections));
        _index = new IndexFileAccumulator(repository);
        _jobs = Channel.CreateBounded<EncodeJob>(new BoundedChannelOptions(2 * Math.Max(1, _options.Workers)) { SingleReader = false });
        _workers = Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    public WriteStatistics Statistics { get; } = new();

    /// <summary>Whether the blob is already stored or queued (by this run or an earlier one).</summary>
    public bool Has(ObjectId id, BlobType type) => _seen.ContainsKey((id, type)) || _repository.Index.Contains(id, type);

    /// <summary>
    /// Queues the blob unless it is known; returns whether it is new. <paramref name="plaintext"/> is copied,
    /// so the caller may reuse its buffer as soon as this returns.
    /// </summary>
    public ValueTask<bool> SaveBlobAsync(BlobType type, ObjectId id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        if (IsKnownOrClaim(id, type))
            return ValueTask.FromResult(false);
        var copy = ArrayPool<byte>.Shared.Rent(plaintext.Length);
        plaintext.Span.CopyTo(copy);
        return QueueAsync(new EncodeJob(type, id, copy, plaintext.Length), cancellationToken);
    }

    /// <summary>
    /// Like <see cref="SaveBlobAsync"/> for a plaintext at the start of a buffer rented from
    /// <see cref="ChunkBufferPool.Shared"/> (or <see cref="ArrayPool{T}.Shared"/>, to which it passes others on): the writer takes the buffer over (no copy) and returns it to the pool,
    /// also when the blob is known or the call fails.
    /// </summary>
    internal ValueTask<bool> SaveOwnedBlobAsync(BlobType type, ObjectId id, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            ThrowIfFailed();
        }
        catch
        {
            ChunkBufferPool.Shared.Return(buffer);
            throw;
        }
        if (IsKnownOrClaim(id, type))
        {
            ChunkBufferPool.Shared.Return(buffer);
            return ValueTask.FromResult(false);
        }
        return QueueAsync(new EncodeJob(type, id, buffer, length), cancellationToken);
    }

    /// <summary>Blobs up to this size may be stored by <see cref="SaveOwnedBlobHere"/>.</summary>
    internal const int HereLimit = 128 * 1024;

    /// <summary>
    /// Like <see cref="SaveOwnedBlobAsync"/> for a blob of at most <see cref="HereLimit"/> bytes, but compressed and
    /// encrypted on the calling thread: for a small file's only chunk that costs less than waking a worker for it
    /// and putting it back to sleep (a writable mount's cp -a of small files hands over one such blob per file).
    /// Not while <see cref="FlushAsync"/> runs.
    /// </summary>
    internal bool SaveOwnedBlobHere(BlobType type, ObjectId id, byte[] buffer, int length)
    {
        try
        {
            ThrowIfFailed();
            ObjectDisposedException.ThrowIf(_flushed, this);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(length, HereLimit);
            if (IsKnownOrClaim(id, type))
                return false;
            try
            {
                Encode(new EncodeJob(type, id, buffer, length));
            }
            catch (Exception e)
            {
                Fail(e); // as a worker would: the writer is unusable, its blobs are read again by the next one
                throw;
            }
            return true;
        }
        finally
        {
            ChunkBufferPool.Shared.Return(buffer);
        }
    }

    private bool IsKnownOrClaim(ObjectId id, BlobType type) => _repository.Index.Contains(id, type) || !_seen.TryAdd((id, type), 0);

    private async ValueTask<bool> QueueAsync(EncodeJob job, CancellationToken cancellationToken)
    {
        try
        {
            await _jobs.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ChunkBufferPool.Shared.Return(job.Buffer);
            ThrowIfFailed();
            throw;
        }
        return true;
    }

    /// <summary>Hashes and saves a tree blob; returns its ID.</summary>
    public async ValueTask<ObjectId> SaveTreeAsync(ReadOnlyMemory<byte> treeJson, CancellationToken cancellationToken = default)
    {
        var id = ObjectId.Hash(treeJson.Span);
        await SaveBlobAsync(BlobType.Tree, id, treeJson, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The index files this writer saved, with their blobs when kept (see <see cref="IndexFileAccumulator.SavedIndexFiles"/>).</summary>
    public IReadOnlyList<(ObjectId File, IReadOnlyList<PackedBlob>? Blobs)> SavedIndexFiles => _index.SavedIndexFiles;

    /// <summary>Packs and uploads everything queued, then writes the remaining index entries. The writer is spent afterwards.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_flushed)
            throw new InvalidOperationException("the writer was already flushed");
        _flushed = true;
        _jobs.Writer.TryComplete();
        await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfFailed();
        lock (_packerLock)
        {
            for (var slot = 0; slot < _packers.Length; slot++)
                if (_packers[slot] is { Count: > 0 })
                    SealLocked(slot);
            Array.Clear(_packers);
        }
        while (!_uploads.IsEmpty)
        {
            var pending = _uploads.ToArray();
            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (pending.Length == _uploads.Count)
                break;
        }
        ThrowIfFailed();
        await _index.SaveRemainingAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WorkAsync()
    {
        await foreach (var job in _jobs.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (_failure is null)
                    Encode(job);
            }
            catch (Exception e)
            {
                Fail(e);
            }
            finally
            {
                ChunkBufferPool.Shared.Return(job.Buffer);
            }
        }
    }

    private void Encode(EncodeJob job)
    {
        var plaintext = job.Buffer.AsSpan(0, job.Length);
        var frameLength = BlobEncoder.Compress(_repository.Config.Version, _options.Compression, job.Type, plaintext, out var frame, out var uncompressed);
        try
        {
            var source = frame is null ? plaintext : frame.AsSpan(0, frameLength);
            var storedLength = AuthenticatedEncryption.CiphertextLength(source.Length);
            var (packer, region) = ReserveInPack(job, storedLength, uncompressed);
            try
            {
                AuthenticatedEncryption.Encrypt(_repository.Key, source, region.Span);
            }
            catch (Exception e)
            {
                Fail(e); // before the region's end is reported, so the pack with the unfilled region is never stored
                throw;
            }
            finally
            {
                if (packer.EndWrite())
                    StartUpload(packer);
            }
            Statistics.AddBlob(job.Type, job.Length, storedLength);
        }
        finally
        {
            if (frame is not null)
                ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>A region of the open pack of the blob's type for its stored bytes; full packs are sealed on the way.</summary>
    private (PackBuilder, Memory<byte>) ReserveInPack(EncodeJob job, int storedLength, uint uncompressed)
    {
        lock (_packerLock)
        {
            var slot = (int)job.Type;
            if (_packers[slot] is { } current && !current.Fits(storedLength))
                SealLocked(slot);
            // Room for the target size plus one more blob of the largest chunk, so data blobs never start a pack early.
            var packer = _packers[slot] ??= new PackBuilder(Math.Max(_options.PackSizeBytes + PackSlack, storedLength), _options.PackSizeBytes);
            var region = packer.Reserve(job.Id, job.Type, storedLength, uncompressed);
            if (packer.Length >= _options.PackSizeBytes)
                SealLocked(slot);
            return (packer, region);
        }
    }

    private const int PackSlack = Chunker.ContentDefinedChunker.MaxSize + 64 * 1024;

    private void SealLocked(int slot)
    {
        var packer = _packers[slot]!;
        _packers[slot] = null;
        if (packer.Seal())
            StartUpload(packer);
    }

    private void StartUpload(PackBuilder packer) => _uploads.Add(Task.Run(() => UploadAsync(packer)));

    // The header encryption and the pack's SHA-256 run on the upload task, outside the packer lock.
    private Task UploadAsync(PackBuilder packer) => UploadAsync(packer.Finish(_repository.Key));

    private async Task UploadAsync(FinishedPack pack)
    {
        using (pack)
        {
            await _uploadSlots.WaitAsync(_failed.Token).ConfigureAwait(false);
            try
            {
                await _repository.Backend.SaveAsync(new FileHandle(FileType.Pack, pack.Id.ToString()), pack.Content, _failed.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Fail(e);
                return;
            }
            finally
            {
                _uploadSlots.Release();
            }
        }
        try
        {
            _repository.Index.Add(pack.Blobs);
            await _index.AddPackAsync(pack.Id, pack.Blobs, _failed.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        Interlocked.CompareExchange(ref _failure, e, null);
        _failed.Cancel();
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } e)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        if (!_flushed)
            _failed.Cancel();
        try { await Task.WhenAll(_workers).ConfigureAwait(false); } catch (Exception) { /* already reported through FlushAsync */ }
        lock (_packerLock)
        {
            // Packs never sealed (no region is being filled once the workers are done) give their buffers back.
            foreach (var packer in _packers)
                packer?.Abandon();
            Array.Clear(_packers);
        }
        try { await Task.WhenAll(_uploads.ToArray()).ConfigureAwait(false); } catch (Exception) { /* idem */ }
        _failed.Dispose();
        _uploadSlots.Dispose();
    }

    private readonly record struct EncodeJob(BlobType Type, ObjectId Id, byte[] Buffer, int Length);
}
