using System.Runtime.CompilerServices;
using Polly;
using Polly.Retry;

namespace StashMount.Backends.Resilience;

/// <summary>
/// Retries operations that failed with <see cref="TransientBackendException"/> (throttling, 5xx, dropped
/// connections, timeouts) with exponential backoff and jitter. Every operation is safe to repeat: reads and
/// stats are idempotent, a listing is collected whole before it is handed out (so a retry never yields a file
/// twice), and a save that hit "already exists" after a lost answer is accepted when the stored size matches.
/// A budget bounds one operation with all its retries, so a server that accepts connections and never answers
/// ends in one clear error instead of minutes of silent retrying (listings get ten times the budget).
/// </summary>
public sealed class RetryingBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _budget;

    public RetryingBackend(IBackend inner, int maxRetries, TimeSpan baseDelay, TimeSpan? budget = null)
    {
        _inner = inner;
        _budget = budget ?? Timeout.InfiniteTimeSpan;
        _pipeline = maxRetries <= 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransientBackendException>(),
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
            }).Build();
    }

    public string Location => _inner.Location;

    public int Connections => _inner.Connections;

    public async IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var files = await RunAsync(async ct => await _inner.ListAllAsync(type, ct).ConfigureAwait(false), $"list {type}", cancellationToken, 10).ConfigureAwait(false);
        foreach (var file in files)
            yield return file;
    }

    public Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        RunAsync(ct => _inner.StatAsync(handle, ct), $"stat {handle}", cancellationToken);

    public Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        RunAsync(async ct => { await _inner.ReadAsync(handle, offset, destination, ct).ConfigureAwait(false); return true; }, $"read {handle}", cancellationToken);

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, string what, CancellationToken cancellationToken, int budgetFactor = 1)
    {
        if (_budget == Timeout.InfiniteTimeSpan)
            return await _pipeline.ExecuteAsync(ct => new ValueTask<T>(operation(ct)), cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_budget * budgetFactor);
        try
        {
            return await _pipeline.ExecuteAsync(ct => new ValueTask<T>(operation(ct)), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientBackendException($"{Location}: {what} got no answer within {(_budget * budgetFactor).TotalSeconds:0} s (retries included)", e);
        }
        catch (TransientBackendException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TransientBackendException($"{Location}: {what} got no answer within {(_budget * budgetFactor).TotalSeconds:0} s (retries included): {e.Message}", e);
        }
    }

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var attempts = 0;
        return RunAsync(async ct =>
        {
            var first = Interlocked.Increment(ref attempts) == 1;
            try
            {
                await _inner.SaveAsync(handle, content, ct).ConfigureAwait(false);
            }
            catch (BackendException) when (!first)
            {
                // An earlier attempt may have stored the file and lost only its answer.
                if (!await AlreadySavedAsync(handle, content.Length, ct).ConfigureAwait(false))
                    throw;
            }
            return true;
        }, $"save {handle}", cancellationToken);
    }

    private async Task<bool> AlreadySavedAsync(FileHandle handle, long size, CancellationToken cancellationToken)
    {
        try
        {
            return (await _inner.StatAsync(handle, cancellationToken).ConfigureAwait(false)).Size == size;
        }
        catch (BackendException)
        {
            return false;
        }
    }

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        RunAsync(async ct => { await _inner.RemoveAsync(handle, ct).ConfigureAwait(false); return true; }, $"remove {handle}", cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
