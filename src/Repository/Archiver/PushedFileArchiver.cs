using System.Buffers;
using System.Security.Cryptography;
using StashMount.Repository.Chunker;
using StashMount.Repository.Writer;

namespace StashMount.Repository.Archiver;

/// <summary>
/// Chunks one file from its bytes handed over in order as they are written (a writable mount's sequential writes),
/// instead of reading the file once it is closed: by the close most of a big file is hashed and queued, and a
/// small one needs no read at all. The cuts are restic's, as <see cref="StreamChunker"/> finds them for the
/// same bytes. Not thread-safe: one caller at a time.
/// </summary>
public sealed class PushedFileArchiver : IDisposable
{
    /// <summary>Complete chunks being hashed and queued on pool threads at once; <see cref="Push"/> callers wait beyond it.</summary>
    public const int ChunksAhead = 4;

    private const int FirstCapacity = 64 * 1024;
    private readonly ContentDefinedChunker _chunker;
    private readonly Task<RepositoryWriter> _writer;
    private readonly Queue<Task<ObjectId>> _pending = new();
    private readonly List<ObjectId> _content = [];
    private byte[]? _buffer;
    private int _length;
    private int _searchFrom = ContentDefinedChunker.FirstCutCandidate;
    private bool _finished;

    /// <param name="repository">The repository whose chunker polynomial cuts the file.</param>
    /// <param name="writer">The writer that takes the chunks; it may still be being prepared (the chunks wait for it).</param>
    public PushedFileArchiver(ResticRepository repository, Task<RepositoryWriter> writer)
    {
        _chunker = new ContentDefinedChunker(repository.Config.ChunkerPolynomial);
        _writer = writer;
    }

    /// <summary>Bytes pushed so far.</summary>
    public long Size { get; private set; }

    /// <summary>Whether as many chunks as <see cref="ChunksAhead"/> are still being hashed (see <see cref="WaitForRoomAsync"/>).</summary>
    public bool IsBusy => _pending.Count >= ChunksAhead;

    /// <summary>Completes when the writer is there: until then, chunks only pile up.</summary>
    public Task WriterReady => _writer;

    /// <summary>Copies the next bytes of the file; every chunk they complete is hashed and queued on a pool thread.</summary>
    public void Push(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, ContentDefinedChunker.MaxSize - _length);
            Reserve(take);
            data[..take].CopyTo(_buffer.AsSpan(_length));
            _length += take;
            Size += take;
            data = data[take..];
            CutCompleteChunks();
        }
    }

    /// <summary>Waits until fewer than <see cref="ChunksAhead"/> chunks are in flight; throws what hashing or queueing one threw.</summary>
    public async ValueTask WaitForRoomAsync()
    {
        while (IsBusy)
            _content.Add(await _pending.Dequeue().ConfigureAwait(false));
    }

    /// <summary>The file ends here: its last chunk is queued and the data blob IDs in order are returned.</summary>
    public async Task<List<ObjectId>> FinishAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_length > 0)
        {
            if (_pending.Count == 0)
            {
                // Typically a small file: hash and queue it right here, no pool thread needed.
                var buffer = TakeChunk(_length);
                _content.Add(await HashAndSaveAsync(buffer.Buffer, buffer.Length, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                Emit(_length);
            }
        }
        _finished = true;
        while (_pending.Count > 0)
            _content.Add(await _pending.Dequeue().ConfigureAwait(false));
        return _content;
    }

    private void Reserve(int more)
    {
        if (_buffer is { } current && current.Length >= _length + more)
            return;
        // The first chunk of a file written in small pieces grows from a small buffer; later chunks, and files
        // written in big pieces, get the chunker's maximum at once, as the chunk's end is unknown.
        var size = Size == 0 && more < FirstCapacity ? FirstCapacity
            : Size < ContentDefinedChunker.MinSize && more < ContentDefinedChunker.MinSize ? Math.Min(ContentDefinedChunker.MaxSize, Math.Max(2 * (_buffer?.Length ?? 0), _length + more))
            : ContentDefinedChunker.MaxSize;
        var grown = ArrayPool<byte>.Shared.Rent(size);
        if (_buffer is { } old)
        {
            old.AsSpan(0, _length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(old);
        }
        _buffer = grown;
    }

    private void CutCompleteChunks()
    {
        while (true)
        {
            if (_length > _searchFrom)
            {
                var cut = _chunker.FindCut(_buffer.AsSpan(0, _length), _searchFrom);
                if (cut >= 0)
                {
                    Emit(cut);
                    continue;
                }
                _searchFrom = _length;
            }
            if (_length < ContentDefinedChunker.MaxSize)
                return;
            Emit(_length);
        }
    }

    /// <summary>Hands the first <paramref name="length"/> bytes to a pool thread as one chunk; the rest starts the next chunk.</summary>
    private void Emit(int length)
    {
        var (buffer, chunkLength) = TakeChunk(length);
        _pending.Enqueue(Task.Run(() => HashAndSaveAsync(buffer, chunkLength, CancellationToken.None)));
    }

    private (byte[] Buffer, int Length) TakeChunk(int length)
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
        return (buffer, length);
    }

    /// <summary>Hashes the chunk and hands its buffer to the writer, which returns it to the pool.</summary>
    private async Task<ObjectId> HashAndSaveAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        ObjectId id;
        try
        {
            id = Hash(buffer.AsSpan(0, length));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        RepositoryWriter writer;
        try
        {
            writer = await _writer.ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        await writer.SaveOwnedBlobAsync(BlobType.Data, id, buffer, length, cancellationToken).ConfigureAwait(false);
        return id;
    }

    private static ObjectId Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[ObjectId.Size];
        SHA256.HashData(data, digest);
        return new ObjectId(digest);
    }

    /// <summary>Gives the unfinished chunk's buffer back; chunks already handed out finish on their own.</summary>
    public void Dispose()
    {
        _finished = true;
        if (_buffer is { } buffer)
            ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
        _length = 0;
    }
}
