using StashMount.Mount.Fuse;

namespace StashMount.Mount.DataPath;

/// <summary>
/// The answer to one read as slices of decrypted blob buffers, each holding a reference to its buffer, so the
/// bytes go to the kernel without a copy and stay valid even if the cache drops the blob meanwhile.
/// </summary>
public sealed class BlobSlices : IFuseReadData
{
    private BlobBuffer[] _buffers = new BlobBuffer[4];
    private int[] _starts = new int[4];
    private int[] _lengths = new int[4];
    private int _count;

    public int Count => _count;

    /// <summary>Bytes in all slices.</summary>
    public int Length { get; private set; }

    public ReadOnlyMemory<byte> this[int index] =>
        (uint)index < (uint)_count ? _buffers[index].Memory.Slice(_starts[index], _lengths[index]) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Takes over the caller's reference to <paramref name="buffer"/>.</summary>
    internal void Add(BlobBuffer buffer, int start, int length)
    {
        if (_count == _buffers.Length)
        {
            Array.Resize(ref _buffers, _count * 2);
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _lengths, _count * 2);
        }
        _buffers[_count] = buffer;
        _starts[_count] = start;
        _lengths[_count] = length;
        _count++;
        Length += length;
    }

    /// <summary>Copies the slices, in order, to the start of <paramref name="destination"/>; returns the bytes copied.</summary>
    public int CopyTo(Span<byte> destination)
    {
        var at = 0;
        for (var i = 0; i < _count; i++)
        {
            _buffers[i].Data.Slice(_starts[i], _lengths[i]).CopyTo(destination[at..]);
            at += _lengths[i];
        }
        return at;
    }

    /// <summary>Gives every buffer reference back; the slices are empty afterwards.</summary>
    public void Release()
    {
        var count = _count;
        _count = 0;
        Length = 0;
        for (var i = 0; i < count; i++)
        {
            var buffer = _buffers[i];
            _buffers[i] = null!;
            buffer.Release();
        }
    }
}
