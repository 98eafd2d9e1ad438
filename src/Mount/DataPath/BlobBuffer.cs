using System.Buffers;
using StashMount.Repository;

namespace StashMount.Mount.DataPath;

/// <summary>
/// A reference-counted block of native memory holding one decrypted blob (or one raw pack range). Native, not a
/// managed array: megabyte blobs would live on the large-object heap, where every fresh one costs page faults
/// and a gen-2 collection to give back, and the memory could not be reused exactly when the last reader is done.
/// The block goes back to its <see cref="BlobBufferPool"/> when the last reference is released.
/// </summary>
public sealed unsafe class BlobBuffer : MemoryManager<byte>
{
    private readonly BlobBufferPool? _pool;
    private int _references;
    private int _length;

    internal BlobBuffer(BlobBufferPool? pool, int capacity)
    {
        _pool = pool;
        Capacity = capacity;
        Pointer = OnHugePages(capacity) ? AnonymousPages.AllocateHuge((nuint)capacity) : AnonymousPages.Allocate((nuint)Math.Max(capacity, 1));
    }

    /// <summary>A block carved out of the pool's <see cref="HugePageArena"/>: its memory goes back there, and the object is not reused.</summary>
    internal BlobBuffer(BlobBufferPool pool, byte* pointer, int capacity)
    {
        _pool = pool;
        Capacity = capacity;
        Pointer = pointer;
        InArena = true;
    }

    public int Capacity { get; }

    internal bool InArena { get; }

    /// <summary>Blocks of whole huge pages (what <see cref="BlobBufferPool.CapacityFor"/> gives megabyte blobs) are mapped as such.</summary>
    internal static bool OnHugePages(int capacity) => capacity >= AnonymousPages.HugePageSize && capacity % AnonymousPages.HugePageSize == 0;

    internal byte* Pointer { get; private set; }

    /// <summary>The blob this buffer currently holds; readers check it after <see cref="TryAcquire"/>, since a
    /// released buffer may already hold another blob.</summary>
    public ObjectId Content { get; private set; }

    public int Length => Volatile.Read(ref _length);

    public ReadOnlySpan<byte> Data => new(Pointer, Volatile.Read(ref _length));

    public Span<byte> Writable => new(Pointer, _length);

    /// <summary>Hands the block out again with one reference (the caller's).</summary>
    internal void Reset(ObjectId content, int length)
    {
        Content = content;
        Volatile.Write(ref _length, length);
        Volatile.Write(ref _references, 1);
    }

    /// <summary>Marks what the buffer holds once it is filled (a range buffer is filled before its blob is known).</summary>
    public void Label(ObjectId content) => Content = content;

    /// <summary>One more reference, unless the buffer was already released (then false).</summary>
    public bool TryAcquire()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
                return true;
            current = seen;
        }
        return false;
    }

    /// <summary>A reference to the blob <paramref name="id"/>, or false when the buffer has moved on.</summary>
    public bool TryAcquire(ObjectId id)
    {
        if (!TryAcquire())
            return false;
        if (Content == id)
            return true;
        Release();
        return false;
    }

    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            if (_pool is null) Free();
            else _pool.Return(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("blob buffer released once too often");
        }
    }

    internal void Free()
    {
        if (Pointer == null || InArena)
            return;
        AnonymousPages.Free(Pointer, (nuint)Math.Max(Capacity, 1));
        Pointer = null;
    }

    public override Span<byte> GetSpan() => new(Pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(Pointer + elementIndex);

    public override void Unpin() { }

    protected override void Dispose(bool disposing) => Release();
}
