using System.Buffers;

namespace StashMount.Repository.Chunker;

/// <summary>
/// Splits one stream into chunks with a pooled look-ahead buffer of two maximum chunks. Each returned chunk
/// is a view into that buffer, valid until the next call. One instance per file, as restic starts a fresh
/// chunker for every file.
/// </summary>
public sealed class StreamChunker : IDisposable
{
    private const int BufferSize = 2 * ContentDefinedChunker.MaxSize;

    private readonly ContentDefinedChunker _chunker;
    private readonly Stream _stream;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;

    public StreamChunker(ContentDefinedChunker chunker, Stream stream)
    {
        _chunker = chunker;
        _stream = stream;
    }

    /// <summary>Total bytes read from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next chunk, or an empty memory at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken = default)
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
        if (!_endOfStream && _end - _start < ContentDefinedChunker.MaxSize)
            await RefillAsync(cancellationToken).ConfigureAwait(false);
        if (_start == _end)
            return ReadOnlyMemory<byte>.Empty;
        var length = _chunker.NextChunkLength(_buffer.AsSpan(_start, _end - _start), _endOfStream);
        var chunk = new ReadOnlyMemory<byte>(_buffer, _start, length);
        _start += length;
        return chunk;
    }

    private async ValueTask RefillAsync(CancellationToken cancellationToken)
    {
        var buffer = _buffer!;
        if (_start > 0)
        {
            Buffer.BlockCopy(buffer, _start, buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                _endOfStream = true;
                break;
            }
            _end += n;
            BytesRead += n;
        }
    }

    public void Dispose()
    {
        if (_buffer != null)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
