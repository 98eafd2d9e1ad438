using System.Buffers;

namespace StashMount.Repository.Chunker;

/// <summary>
/// One chunk at the start of a buffer rented from <see cref="ArrayPool{T}.Shared"/>. Whoever receives it owns
/// the buffer: pass it on (e.g. to the repository writer) or call <see cref="Return"/> once.
/// </summary>
public readonly struct PooledChunk(byte[] buffer, int length)
{
    public byte[] Buffer { get; } = buffer;

    public int Length { get; } = length;

    public bool IsEmpty => Length == 0;

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public void Return()
    {
        if (Buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(Buffer);
    }
}
