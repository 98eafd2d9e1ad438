using System.Security.Cryptography;
using StashMount.Repository.Chunker;
using StashMount.Repository.Writer;

namespace StashMount.Repository.Archiver;

/// <summary>
/// Chunks one file from its bytes handed over in order as they are written (a writable mount's sequential writes),
/// instead of reading the file once it is closed: by the close most of a big file is hashed and queued, and a
/// small one needs no read at all. The cuts are restic's, as <see cref="StreamChunker"/> finds them for the
/// same bytes. <see cref="Push"/> only copies the bytes into the chunk being gathered: the search for cuts runs
/// on a pool thread (<see cref="CutLoopAsync"/>), so a writer waiting for each write's answer (cp through FUSE)
/// does not wait for the chunker too. One caller at a time (Push, WaitForRoomAsync, FinishAsync, Dispose).
/// </summary>
public sealed class PushedFileArchiver : IDisposable
{
    /// <summary>Complete chunks being hashed and queued on pool threads at once; the cut search waits beyond it.</summary>
    public const int ChunksAhead = 4;

    /// <summary>Bytes pushed and not yet searched for a cut beyond which <see cref="IsBusy"/> holds callers back.</summary>
    public const int BacklogLimit = 2 * 1024 * 1024;

    private const int FirstCapacity = 64 * 1024;
    private readonly ContentDefinedChunker _chunker;
    private readonly Task<RepositoryWriter> _writer;
    private readonly Lock _lock = new();
    // Owned by the cut loop while it runs, by FinishAsync after it.
    private readonly Queue<Task<ObjectId>> _pending = new();
    private readonly List<ObjectId> _content = [];
    // Pieces that did not fit behind the chunk being gathered (it is at most MaxSize long); moved in after a cut.
    private readonly Queue<(byte[] Buffer, int Length)> _overflow = new();
    private byte[]? _buffer;
    private int _length;
    private int _overflowLength;
    private int _overflowHead;
    private int _searchFrom = ContentDefinedChunker.FirstCutCandidate;
    private bool _finished;
    private Task? _cutLoop;
    private Exception? _failure;
    private TaskCompletionSource? _roomChanged;

    /// <param name="repository">The repository whose chunker polynomial cuts the file.</param>
    /// <param name="writer">The writer that takes the chunks; it may still be being prepared (the chunks wait for it).</param>
    public PushedFileArchiver(ResticRepository repository, Task<RepositoryWriter> writer)
    {
        _chunker = new ContentDefinedChunker(repository.Config.ChunkerPolynomial);
        _writer = writer;
    }

    /// <summary>Bytes pushed so far.</summary>
    public long Size { get; private set; }

    /// <summary>Whether more than <see cref="BacklogLimit"/> bytes wait for the cut search, or it failed (see <see cref="WaitForRoomAsync"/>).</summary>
    public bool IsBusy
    {
        get
        {
            lock (_lock)
                return _failure is not null || BacklogLocked > BacklogLimit;
        }
    }

    /// <summary>Completes when the writer is there: until then, chunks only pile up.</summary>
    public Task WriterReady => _writer;

    private int BacklogLocked => Math.Max(0, _length - _searchFrom) + _overflowLength;

    /// <summary>Copies the next bytes of the file; the cut search and the hashing of complete chunks follow on pool threads.</summary>
    public void Push(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            var pushed = data.Length;
            if (_overflowLength == 0)
            {
                var take = Math.Min(data.Length, ContentDefinedChunker.MaxSize - _length);
                Reserve(take);
                data[..take].CopyTo(_buffer.AsSpan(_length));
                _length += take;
                data = data[take..];
            }
            while (!data.IsEmpty)
            {
                var length = Math.Min(data.Length, OverflowPiece);
                var piece = ChunkBufferPool.Shared.Rent(length);
                data[..length].CopyTo(piece);
                _overflow.Enqueue((piece, length));
                _overflowLength += length;
                data = data[length..];
            }
            Size += pushed;
            if (_cutLoop is null && HasWorkLocked())
                _cutLoop = Task.Run(CutLoopAsync);
        }
    }

    private const int OverflowPiece = 1024 * 1024;

    /// <summary>Waits until at most <see cref="BacklogLimit"/> bytes wait for the cut search; throws what the search, hashing or queueing threw.</summary>
    public async ValueTask WaitForRoomAsync()
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_failure is { } failure)
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                if (BacklogLocked <= BacklogLimit)
                    return;
                changed = (_roomChanged ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await changed.ConfigureAwait(false);
        }
    }

    /// <summary>The file ends here: its last chunk is queued and the data blob IDs in order are returned.</summary>
    public async Task<List<ObjectId>> FinishAsync(CancellationToken cancellationToken)
    {
        Task? loop;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            loop = _cutLoop;
        }
        if (loop is not null)
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        (byte[] Buffer, int Length)? last = null;
        lock (_lock)
        {
            _finished = true;
            if (_failure is { } failure)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            // The loop ended with every byte searched and no cut left to make: what is gathered is the last chunk.
            if (_length > 0)
                last = TakeChunkLocked(_length);
        }
        if (last is { } chunk)
        {
            if (_pending.Count == 0 && chunk.Length <= RepositoryWriter.HereLimit && _writer.IsCompletedSuccessfully)
                _content.Add(SaveHere(_writer.Result, chunk.Buffer, chunk.Length)); // a small file: hashed, compressed and encrypted here, no thread woken
            else if (_pending.Count == 0)
                _content.Add(await HashAndSaveAsync(chunk.Buffer, chunk.Length, cancellationToken).ConfigureAwait(false));
            else
                _pending.Enqueue(Task.Run(() => HashAndSaveAsync(chunk.Buffer, chunk.Length, CancellationToken.None)));
        }
        while (_pending.Count > 0)
            _content.Add(await _pending.Dequeue().ConfigureAwait(false));
        return _content;
    }

    // Called under the lock: whether bytes wait for the search, or the chunk reached the maximum size (cut there).
    private bool HasWorkLocked() => _length > _searchFrom || _length >= ContentDefinedChunker.MaxSize || _overflowLength > 0;

    /// <summary>
    /// Searches the gathered bytes for restic's cuts and hands each complete chunk to a pool thread, until every
    /// pushed byte is searched. It reads the buffer outside the lock: Push only appends behind what was
    /// searched and never replaces a buffer that long (see <see cref="Reserve"/>).
    /// </summary>
    private async Task CutLoopAsync()
    {
        try
        {
            while (true)
            {
                byte[] buffer;
                int length, from;
                lock (_lock)
                {
                    if (_finished || !HasWorkLocked())
                    {
                        _cutLoop = null;
                        ReleaseBuffersIfFinishedLocked();
                        SignalRoomLocked();
                        return;
                    }
                    (buffer, length, from) = (_buffer!, _length, _searchFrom);
                }
                var limit = Math.Min(length, ContentDefinedChunker.MaxSize);
                var cut = from < limit ? _chunker.FindCut(buffer.AsSpan(0, limit), from) : -1;
                (byte[] Buffer, int Length)? chunk = null;
                lock (_lock)
                {
                    if (cut >= 0)
                        chunk = TakeChunkLocked(cut);
                    else if (limit == ContentDefinedChunker.MaxSize)
                        chunk = TakeChunkLocked(limit);
                    else
                    {
                        _searchFrom = limit;
                        FillFromOverflowLocked();
                    }
                    SignalRoomLocked();
                }
                if (chunk is { } c)
                {
                    _pending.Enqueue(Task.Run(() => HashAndSaveAsync(c.Buffer, c.Length, CancellationToken.None)));
                    while (_pending.Count >= ChunksAhead)
                        _content.Add(await _pending.Dequeue().ConfigureAwait(false));
                }
            }
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                _failure = e;
                _cutLoop = null;
                ReleaseBuffersIfFinishedLocked();
                SignalRoomLocked();
            }
        }
    }

    private void SignalRoomLocked()
    {
        if (_roomChanged is { } waiting && (_failure is not null || BacklogLocked <= BacklogLimit || _cutLoop is null))
        {
            _roomChanged = null;
            waiting.TrySetResult();
        }
    }

    // Under the lock. A buffer the cut loop may be reading (longer than FirstCutCandidate) is never replaced: it
    // already has the chunker's maximum size, the most a chunk being gathered holds.
    private void Reserve(int more)
    {
        if (_buffer is { } current && current.Length >= _length + more)
            return;
        // The first chunk of a file written in small pieces grows from a small buffer; later chunks, and files
        // written in big pieces, get the chunker's maximum at once, as the chunk's end is unknown.
        var size = _length + more > ContentDefinedChunker.FirstCutCandidate || Size >= ContentDefinedChunker.MinSize || more >= ContentDefinedChunker.MinSize
            ? ContentDefinedChunker.MaxSize
            : Size == 0 && more < FirstCapacity ? FirstCapacity
            : Math.Min(ContentDefinedChunker.MaxSize, Math.Max(2 * (_buffer?.Length ?? 0), _length + more));
        var grown = ChunkBufferPool.Shared.Rent(size);
        if (_buffer is { } old)
        {
            old.AsSpan(0, _length).CopyTo(grown);
            ChunkBufferPool.Shared.Return(old);
        }
        _buffer = grown;
    }

    // Under the lock, from the cut loop (not reading the buffer then): overflowed bytes move behind the gathered ones, up to the maximum chunk size.
    private void FillFromOverflowLocked()
    {
        while (_overflow.TryPeek(out var piece) && _length < ContentDefinedChunker.MaxSize)
        {
            var take = Math.Min(ContentDefinedChunker.MaxSize - _length, piece.Length - _overflowHead);
            Reserve(take);
            piece.Buffer.AsSpan(_overflowHead, take).CopyTo(_buffer.AsSpan(_length));
            _length += take;
            _overflowLength -= take;
            _overflowHead += take;
            if (_overflowHead < piece.Length)
                return;
            _overflow.Dequeue();
            ChunkBufferPool.Shared.Return(piece.Buffer);
            _overflowHead = 0;
        }
    }

    /// <summary>Under the lock: the first <paramref name="length"/> gathered bytes as one chunk; the rest, and what overflowed, start the next.</summary>
    private (byte[] Buffer, int Length) TakeChunkLocked(int length)
    {
        var buffer = _buffer!;
        var rest = _length - length;
        _buffer = null;
        _length = 0;
        _searchFrom = ContentDefinedChunker.FirstCutCandidate;
        if (rest > 0)
        {
            Reserve(rest);
            buffer.AsSpan(length, rest).CopyTo(_buffer);
            _length = rest;
        }
        FillFromOverflowLocked();
        return (buffer, length);
    }

    /// <summary>Hashes the chunk and hands its buffer to the writer, which returns it to the pool.</summary>
    private async Task<ObjectId> HashAndSaveAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        ObjectId id;
        RepositoryWriter writer;
        try
        {
            id = Hash(buffer.AsSpan(0, length));
            writer = await _writer.ConfigureAwait(false);
        }
        catch
        {
            ChunkBufferPool.Shared.Return(buffer);
            throw;
        }
        await writer.SaveOwnedBlobAsync(BlobType.Data, id, buffer, length, cancellationToken).ConfigureAwait(false);
        return id;
    }

    private static ObjectId SaveHere(RepositoryWriter writer, byte[] buffer, int length)
    {
        ObjectId id;
        try
        {
            id = Hash(buffer.AsSpan(0, length));
        }
        catch
        {
            ChunkBufferPool.Shared.Return(buffer);
            throw;
        }
        writer.SaveOwnedBlobHere(BlobType.Data, id, buffer, length);
        return id;
    }

    private static ObjectId Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[ObjectId.Size];
        SHA256.HashData(data, digest);
        return new ObjectId(digest);
    }

    // Under the lock, once finished and the cut loop is not reading them.
    private void ReleaseBuffersIfFinishedLocked()
    {
        if (!_finished || _cutLoop is not null)
            return;
        if (_buffer is { } buffer)
            ChunkBufferPool.Shared.Return(buffer);
        _buffer = null;
        _length = 0;
        while (_overflow.TryDequeue(out var piece))
            ChunkBufferPool.Shared.Return(piece.Buffer);
        _overflowLength = 0;
        _overflowHead = 0;
    }

    /// <summary>Gives the unfinished chunk's buffers back (the cut loop does, if it is reading them); chunks already handed out finish on their own.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _finished = true;
            ReleaseBuffersIfFinishedLocked();
            SignalRoomLocked();
        }
    }
}
