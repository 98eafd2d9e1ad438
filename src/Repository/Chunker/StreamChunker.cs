using System.Buffers;

namespace StashMount.Repository.Chunker;

/// <summary>
/// Splits one stream into chunks, each read straight into its own pooled buffer that the caller then owns, so a
/// chunk is never copied on its way to the writer. The stream is read in <see cref="ReadSize"/> steps and the
/// chunker searches each step as it arrives; only the bytes read past a cut (half a step on average) are copied,
/// into the next chunk's buffer. One instance per file, as restic starts a fresh chunker for every file.
/// </summary>
/// <remarks>
/// Reads are synchronous on purpose: a file read is served from the page cache or read-ahead at once, and an
/// async read of a file handle costs a thread-pool hop per call. Callers run this on a pool thread.
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
    public PooledChunk Next()
    {
        var buffer = _carry ?? ArrayPool<byte>.Shared.Rent(ContentDefinedChunker.MaxSize);
        var length = _carryLength;
        _carry = null;
        _carryLength = 0;
        try
        {
            var cut = FindCut(buffer, ref length);
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

    /// <summary>Reads on until restic's chunker cuts, the chunk reaches its maximum or the stream ends; returns the chunk length.</summary>
    private int FindCut(byte[] buffer, ref int length)
    {
        var searchFrom = ContentDefinedChunker.FirstCutCandidate;
        while (true)
        {
            if (length > searchFrom)
            {
                var cut = _chunker.FindCut(buffer.AsSpan(0, length), searchFrom);
                if (cut >= 0)
                    return cut;
                searchFrom = length;
            }
            if (length == ContentDefinedChunker.MaxSize || _endOfStream)
                return length;
            // The first read of a chunk goes past the minimum size at once: nothing before it can be a cut.
            var target = Math.Min(ContentDefinedChunker.MaxSize, Math.Max(length, ContentDefinedChunker.MinSize) + ReadSize);
            while (length < target)
            {
                var n = _stream.Read(buffer, length, target - length);
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
