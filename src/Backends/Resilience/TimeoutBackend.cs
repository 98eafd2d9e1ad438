using System.Runtime.CompilerServices;

namespace StashMount.Backends.Resilience;

/// <summary>
/// Bounds each request so a stalled server turns into a retryable <see cref="TransientBackendException"/> instead
/// of a hung read (and a hung mount). A listing gets a longer bound since it spans many pages.
/// </summary>
public sealed class TimeoutBackend : IBackend
{
    private const int ListingTimeoutFactor = 10;

    private readonly IBackend _inner;
    private readonly TimeSpan _timeout;

    public TimeoutBackend(IBackend inner, TimeSpan timeout)
    {
        _inner = inner;
        _timeout = timeout;
    }

    public string Location => _inner.Location;

    public int Connections => _inner.Connections;

    private async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> operation, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            return await operation(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientBackendException($"{Location}: {what} timed out after {timeout.TotalSeconds:0} s", e);
        }
    }

    public async IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var files = await WithTimeoutAsync(async ct =>
        {
            var list = new List<BackendFileInfo>();
            await foreach (var file in _inner.ListAsync(type, ct).ConfigureAwait(false))
                list.Add(file);
            return list;
        }, $"list {type}", _timeout * ListingTimeoutFactor, cancellationToken).ConfigureAwait(false);
        foreach (var file in files)
            yield return file;
    }

    public Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        WithTimeoutAsync(ct => _inner.StatAsync(handle, ct), $"stat {handle}", _timeout, cancellationToken);

    public Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        WithTimeoutAsync(async ct => { await _inner.ReadAsync(handle, offset, destination, ct).ConfigureAwait(false); return true; },
            $"read {handle}", _timeout, cancellationToken);

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        WithTimeoutAsync(async ct => { await _inner.SaveAsync(handle, content, ct).ConfigureAwait(false); return true; },
            $"save {handle}", _timeout, cancellationToken);

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        WithTimeoutAsync(async ct => { await _inner.RemoveAsync(handle, ct).ConfigureAwait(false); return true; },
            $"remove {handle}", _timeout, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
