namespace StashMount.Mount.Commands.Dump;

/// <summary>
/// A forward-only read stream that reports a known length, so an archive writer that asks a data stream for
/// its size (TarWriter does) can stream content it has not seen yet. Seeking is not supported.
/// </summary>
internal sealed class KnownLengthReadStream(Stream inner, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true; // only so that Length is consulted; Seek itself is refused
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer[..Remaining(buffer.Length)]);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer[..Remaining(buffer.Length)], cancellationToken).ConfigureAwait(false);
        _position += read;
        if (read == 0 && _position < length)
            throw new IOException($"content ended after {_position} of {length} bytes");
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Remaining(int wanted) => (int)Math.Min(wanted, length - _position);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Flush() { }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
