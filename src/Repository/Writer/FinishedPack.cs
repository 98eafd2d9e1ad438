using System.Buffers;
using StashMount.Repository.Index;

namespace StashMount.Repository.Writer;

/// <summary>A complete pack file waiting for upload: its ID (SHA-256 of the bytes), the bytes in a pooled buffer, its blobs.</summary>
internal sealed class FinishedPack(ObjectId id, byte[] buffer, int length, IReadOnlyList<PackedBlob> blobs) : IDisposable
{
    private byte[]? _buffer = buffer;

    public ObjectId Id { get; } = id;

    public ReadOnlyMemory<byte> Content => new(_buffer ?? throw new ObjectDisposedException(nameof(FinishedPack)), 0, length);

    public IReadOnlyList<PackedBlob> Blobs { get; } = blobs;

    public void Dispose()
    {
        if (_buffer is { } b)
            ArrayPool<byte>.Shared.Return(b);
        _buffer = null;
    }
}
