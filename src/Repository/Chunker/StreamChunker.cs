using System.Buffers;

namespace StashMount.Repository.Chunker;

/// <summary>
/// Splits one stream into chunks, each read straight into its own pooled buffer that the caller then owns, so a
/// chunk is never copied on its way to the writer. The stream is read in <see cref="ReadSize"/> steps and the
/// chunker searches each step as it arrives; only the bytes read past a cut (half a step on average) are copied,
/// into the next chunk's buffer. One instance per file, as restic starts a fresh chunker for every file.
/// </summary>
/// <remarks>
/// Reads go through <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>: the archiver's file streams
/// complete it synchronously whenever the bytes are at hand (a read-ahead block, or a buffered read from the page
/// cache), so there is no thread-pool hop per call, and await only a read-ahead still under way.
/// </remarks>
public sealed class StreamChunker : IDisposable
{
    public const int ReadSize = 256 * 1024;

    private readonly ContentDefinedChunker _chunker;
    private readonly Stream _stream;
    private byte[]? _carry;
    private int _carryLength;
    private bool _endOfStream;

    public StreamChunker(ContentDefinedChunker chunker, Stream stream)
    {
        _chunker = chunker;
        _stream = stream;
    }

    /// <summary>Total bytes read from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next chunk (owned by the caller), or an empty chunk at the end of the stream.</summary>
    public async ValueTask<PooledChunk> NextAsync(CancellationToken cancellationToken = default)
    {
        var buffer = _carry ?? ArrayPool<byte>.Shared.Rent(ContentDefinedChunker.MaxSize);
        var length = _carryLength;
        _carry = null;
        _carryLength = 0;
        try
        {
            (var cut, length) = await FindCutAsync(buffer, length, cancellationToken).ConfigureAwait(false);
            if (cut == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return new PooledChunk([], 0);
            }
            if (cut < length)
            {
                _carry = ArrayPool<byte>.Shared.Rent(ContentDefinedChunker.MaxSize);
                _carryLength = length - cut;
                buffer.AsSpan(cut, _carryLength).CopyTo(_carry);
            }
            return new PooledChunk(buffer, cut);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Reads on until restic's chunker cuts, the chunk reaches its maximum or the stream ends; returns the chunk length and the bytes in the buffer.</summary>
    private async ValueTask<(int Cut, int Length)> FindCutAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var searchFrom = ContentDefinedChunker.FirstCutCandidate;
        while (true)
        {
            if (length > searchFrom)
            {
                var cut = _chunker.FindCut(buffer.AsSpan(0, length), searchFrom);
                if (cut >= 0)
                    return (cut, length);
                searchFrom = length;
            }
            if (length == ContentDefinedChunker.MaxSize || _endOfStream)
                return (length, length);
            // The first read of a chunk goes past the minimum size at once: nothing before it can be a cut.
            var target = Math.Min(ContentDefinedChunker.MaxSize, Math.Max(length, ContentDefinedChunker.MinSize) + ReadSize);
            while (length < target)
            {
                var n = await _stream.ReadAsync(buffer.AsMemory(length, target - length), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    _endOfStream = true;
                    break;
                }
                length += n;
                BytesRead += n;
            }
        }
    }

    public void Dispose()
    {
        if (_carry != null)
            ArrayPool<byte>.Shared.Return(_carry);
        _carry = null;
    }
}
