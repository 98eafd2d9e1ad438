using StashMount.Repository.Index;

namespace StashMount.Repository.Writer;

/// <summary>A complete pack file waiting for upload: its ID (SHA-256 of the bytes), the bytes in a pooled page-aligned buffer, its blobs.</summary>
internal sealed class FinishedPack(ObjectId id, PageBuffer buffer, int length, IReadOnlyList<PackedBlob> blobs) : IDisposable
{
    private PageBuffer? _buffer = buffer;

    public ObjectId Id { get; } = id;

    public ReadOnlyMemory<byte> Content => (_buffer ?? throw new ObjectDisposedException(nameof(FinishedPack))).Memory[..length];

    public IReadOnlyList<PackedBlob> Blobs { get; } = blobs;

    public void Dispose()
    {
        if (_buffer is { } b)
            PageBufferPool.Return(b);
        _buffer = null;
    }
}
