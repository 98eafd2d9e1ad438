using System.Runtime.CompilerServices;

namespace StashMount.Backends.Resilience;

/// <summary>
/// At most <see cref="Connections"/> requests in flight (restic's `-o &lt;backend&gt;.connections=N`, where Stash's
/// maxConnections lands). Sits inside the retry layer so a request waiting out a backoff does not hold a slot.
/// </summary>
public sealed class ConnectionLimitingBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly SemaphoreSlim _slots;

    public ConnectionLimitingBackend(IBackend inner, int connections)
    {
        _inner = inner;
        Connections = Math.Max(1, connections);
        _slots = new SemaphoreSlim(Connections, Connections);
    }

    public string Location => _inner.Location;

    public int Connections { get; }

    private async Task<T> LimitedAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Collected under one slot and handed out after releasing it, so a caller that stats files while
        // enumerating cannot deadlock against its own listing.
        var files = await LimitedAsync(() => _inner.ListAllAsync(type, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var file in files)
            yield return file;
    }

    public Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        LimitedAsync(() => _inner.StatAsync(handle, cancellationToken), cancellationToken);

    public Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        LimitedAsync(async () => { await _inner.ReadAsync(handle, offset, destination, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        LimitedAsync(async () => { await _inner.SaveAsync(handle, content, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        LimitedAsync(async () => { await _inner.RemoveAsync(handle, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _slots.Dispose();
    }
}
