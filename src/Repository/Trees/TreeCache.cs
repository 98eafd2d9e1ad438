using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace StashMount.Repository.Trees;

/// <summary>
/// Decoded trees, bounded by the size of their JSON. Trees are immutable, so entries never go stale.
/// Concurrent requests for the same tree share one load.
/// </summary>
internal sealed class TreeCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly ConcurrentDictionary<ObjectId, Task<Tree>> _loading = new();

    public TreeCache(long sizeLimitBytes)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimitBytes });
    }

    /// <param name="load">Loads the tree and reports its size in bytes; runs once per tree at a time,
    /// not cancelled by one waiter giving up since others may share it.</param>
    public Task<Tree> GetAsync(ObjectId id, Func<ObjectId, Task<(Tree Tree, long Size)>> load, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(id, out Tree? cached) && cached != null)
            return Task.FromResult(cached);
        var mine = new TaskCompletionSource<Tree>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _loading.GetOrAdd(id, mine.Task);
        if (shared == mine.Task)
            _ = LoadAsync(id, load, mine);
        return shared.WaitAsync(cancellationToken);
    }

    private async Task LoadAsync(ObjectId id, Func<ObjectId, Task<(Tree Tree, long Size)>> load, TaskCompletionSource<Tree> completion)
    {
        try
        {
            var (tree, size) = await load(id).ConfigureAwait(false);
            _cache.Set(id, tree, new MemoryCacheEntryOptions { Size = Math.Max(1, size) });
            completion.SetResult(tree);
        }
        catch (Exception e)
        {
            completion.SetException(e);
        }
        finally
        {
            _loading.TryRemove(id, out _);
        }
    }

    public void Dispose() => _cache.Dispose();
}
