namespace StashMount.Repository.Tests.Chunker;

/// <summary>A read-only stream that returns at most a few odd-sized bytes per read, to show that cuts do not depend on read sizes.</summary>
internal sealed class TrickleStream(byte[] data) : Stream
{
    private int _position;
    private int _turn;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var sizes = new[] { 1, 4093, 65537, 300_001 };
        var n = Math.Min(Math.Min(count, sizes[_turn++ % sizes.Length]), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
        _position += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
