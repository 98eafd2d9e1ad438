using System.Runtime.CompilerServices;
using Polly;
using Polly.Retry;

namespace StashMount.Backends.Resilience;

/// <summary>
/// Retries operations that failed with <see cref="TransientBackendException"/> (throttling, 5xx, dropped
/// connections, timeouts) with exponential backoff and jitter. Every operation is safe to repeat: reads and
/// stats are idempotent, a listing is collected whole before it is handed out (so a retry never yields a file
/// twice), and a save that hit "already exists" after a lost answer is accepted when the stored size matches.
/// </summary>
public sealed class RetryingBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly ResiliencePipeline _pipeline;

    public RetryingBackend(IBackend inner, int maxRetries, TimeSpan baseDelay)
    {
        _inner = inner;
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
        var files = await _pipeline.ExecuteAsync(async ct => await _inner.ListAllAsync(type, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        foreach (var file in files)
            yield return file;
    }

    public Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        _pipeline.ExecuteAsync(ct => new ValueTask<BackendFileInfo>(_inner.StatAsync(handle, ct)), cancellationToken).AsTask();

    public Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        _pipeline.ExecuteAsync(ct => new ValueTask(_inner.ReadAsync(handle, offset, destination, ct)), cancellationToken).AsTask();

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var attempts = 0;
        return _pipeline.ExecuteAsync(async ct =>
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
        }, cancellationToken).AsTask();
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
        _pipeline.ExecuteAsync(ct => new ValueTask(_inner.RemoveAsync(handle, ct)), cancellationToken).AsTask();

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
