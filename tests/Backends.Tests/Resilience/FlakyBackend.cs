using System.Runtime.CompilerServices;

namespace StashMount.Backends.Tests.Resilience;

/// <summary>
/// Wraps a real backend and injects faults: the first <see cref="FailuresLeft"/> calls throw a transient error
/// (optionally after the inner call succeeded, like an answer lost on the way back), or stall until cancelled.
/// </summary>
internal sealed class FlakyBackend : IBackend
{
    private readonly IBackend _inner;
    private int _failuresLeft;
    private int _inFlight;

    public FlakyBackend(IBackend inner, int failures)
    {
        _inner = inner;
        _failuresLeft = failures;
    }

    public bool FailAfterInnerCall { get; init; }

    public bool Stall { get; init; }

    public int Calls;

    public int MaxInFlight;

    public int FailuresLeft => Volatile.Read(ref _failuresLeft);

    public string Location => _inner.Location;

    public int Connections => _inner.Connections;

    private async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref MaxInFlight)) < now && Interlocked.CompareExchange(ref MaxInFlight, now, seen) != seen) { }
        try
        {
            await Task.Yield();
            var fail = Interlocked.Decrement(ref _failuresLeft) >= 0;
            if (fail && Stall)
                await Task.Delay(Timeout.Infinite, cancellationToken);
            if (fail && !FailAfterInnerCall)
                throw new TransientBackendException("injected fault");
            var result = await call();
            if (fail)
                throw new TransientBackendException("injected fault after the call");
            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = await RunAsync(async () =>
        {
            var files = new List<BackendFileInfo>();
            await foreach (var f in _inner.ListAsync(type, cancellationToken)) files.Add(f);
            return files;
        }, cancellationToken);
        foreach (var f in list) yield return f;
    }

    public Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        RunAsync(() => _inner.StatAsync(handle, cancellationToken), cancellationToken);

    public Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        RunAsync(async () => { await _inner.ReadAsync(handle, offset, destination, cancellationToken); return 0; }, cancellationToken);

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        RunAsync(async () => { await _inner.SaveAsync(handle, content, cancellationToken); return 0; }, cancellationToken);

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        RunAsync(async () => { await _inner.RemoveAsync(handle, cancellationToken); return 0; }, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
