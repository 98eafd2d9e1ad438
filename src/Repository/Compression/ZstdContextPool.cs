using System.Collections.Concurrent;

namespace StashMount.Repository.Compression;

/// <summary>
/// Reusable native zstd contexts of one kind. A context serves one call at a time; a pool (not a thread-static)
/// so contexts of retired thread-pool threads are not leaked, with a bound so a burst does not keep them all.
/// </summary>
internal sealed class ZstdContextPool(Func<nint> create, Action<nint> free)
{
    private static readonly int MaxPooled = 2 * Environment.ProcessorCount + 2;
    private readonly ConcurrentBag<nint> _contexts = [];

    public nint Rent()
    {
        if (_contexts.TryTake(out var context))
            return context;
        context = create();
        return context != 0 ? context : throw new OutOfMemoryException("zstd could not allocate a context");
    }

    public void Return(nint context)
    {
        if (_contexts.Count < MaxPooled)
            _contexts.Add(context);
        else
            free(context);
    }
}
