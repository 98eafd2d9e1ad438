using System.Buffers;
using System.Collections.Concurrent;
using StashMount.Backends;
using StashMount.Repository;
using StashMount.Repository.Blobs;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;

namespace StashMount.Mount.DataPath;

/// <summary>
/// Gets decrypted data blobs: from the memory cache, else by joining a fetch already in flight, else by a new
/// backend read that coalesces neighbouring blobs of one pack. At most <see cref="DataPathOptions.Connections"/>
/// reads run at once; decryption happens after the connection slot is released, so I/O and CPU overlap.
/// A blob that fails (missing pack, bad MAC or hash) fails only the requests that need it.
/// </summary>
public sealed class BlobFetcher : IDisposable
{
    private readonly IBackend _backend;
    private readonly MasterKey _key;
    private readonly Func<ObjectId, PackedBlob?> _locate;
    private readonly DataPathOptions _options;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<ObjectId, Task<byte[]>> _inFlight = new();
    private readonly SemaphoreSlim _connections;
    private readonly CancellationTokenSource _lifetime = new();
    private long _requests;
    private long _bytesRead;

    public BlobFetcher(IBackend backend, MasterKey key, Func<ObjectId, PackedBlob?> locate, BlobCache cache, DataPathOptions options, Action<string> log)
    {
        _backend = backend;
        _key = key;
        _locate = locate;
        Cache = cache;
        _options = options;
        _log = log;
        _connections = new SemaphoreSlim(Math.Max(1, options.Connections));
    }

    public BlobCache Cache { get; }

    public long BackendRequests => Interlocked.Read(ref _requests);

    public long BackendBytes => Interlocked.Read(ref _bytesRead);

    /// <summary>The plaintext length of a data blob, from the index (-1 when the index does not know it).</summary>
    public long PlaintextLength(ObjectId id) => _locate(id) is { } blob ? blob.PlaintextLength : -1;

    public Task<byte[]> GetAsync(ObjectId id) =>
        Cache.TryGet(id, out var cached) ? Task.FromResult(cached) : Request([id])[0];

    /// <summary>
    /// One task per ID. Blobs neither cached nor in flight are fetched together, so neighbours in a pack share
    /// one range request. The caller may ignore the tasks (prefetch): failures are then simply dropped.
    /// </summary>
    public Task<byte[]>[] Request(IReadOnlyList<ObjectId> ids)
    {
        var tasks = new Task<byte[]>[ids.Count];
        List<(PackedBlob Blob, TaskCompletionSource<byte[]> Completion)>? fresh = null;
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (Cache.Contains(id) && Cache.TryGet(id, out var cached))
            {
                tasks[i] = Task.FromResult(cached);
                continue;
            }
            if (_inFlight.TryGetValue(id, out var running))
            {
                tasks[i] = running;
                continue;
            }
            if (_locate(id) is not { } blob)
            {
                tasks[i] = Task.FromException<byte[]>(new BlobNotFoundException(id, BlobType.Data));
                continue;
            }
            var completion = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            var winner = _inFlight.GetOrAdd(id, completion.Task);
            tasks[i] = winner;
            if (winner == completion.Task)
                (fresh ??= []).Add((blob, completion));
        }
        if (fresh != null)
            Start(fresh);
        return tasks;
    }

    private void Start(List<(PackedBlob Blob, TaskCompletionSource<byte[]> Completion)> fresh)
    {
        var completions = new Dictionary<ObjectId, TaskCompletionSource<byte[]>>(fresh.Count);
        foreach (var (blob, completion) in fresh)
            completions.TryAdd(blob.Id, completion);
        foreach (var range in RangePlanner.Plan(fresh.Select(f => f.Blob), _options.CoalesceGapBytes, _options.MaxRequestBytes))
        {
            _ = FetchRangeAsync(range, [.. range.Blobs.Select(b => (b, completions[b.Id]))]);
        }
    }

    private async Task FetchRangeAsync(PackRange range, List<(PackedBlob Blob, TaskCompletionSource<byte[]> Completion)> waiting)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(range.Length, 1));
        try
        {
            try
            {
                await ReadRangeAsync(range, buffer).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _log($"reading pack {range.PackId.ToShortString()} [{range.Offset}+{range.Length}] failed: {OneLine(e)}");
                foreach (var (blob, completion) in waiting)
                    Finish(blob.Id, completion, null, e);
                return;
            }
            // Each blob is decrypted and checked on its own pool thread, so one range uses every core and a
            // reader waiting for the first blob does not wait for the whole range.
            var decodes = new Task[waiting.Count];
            for (var i = 0; i < waiting.Count; i++)
            {
                var (blob, completion) = waiting[i];
                decodes[i] = Task.Run(() => Decode(range, buffer, blob, completion));
            }
            await Task.WhenAll(decodes).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Decode(PackRange range, byte[] buffer, PackedBlob blob, TaskCompletionSource<byte[]> completion)
    {
        try
        {
            var plaintext = GC.AllocateUninitializedArray<byte>((int)blob.PlaintextLength);
            BlobDecoder.Decode(_key, blob, buffer.AsSpan((int)(blob.Offset - range.Offset), (int)blob.Length), plaintext);
            Cache.Add(blob.Id, plaintext);
            Finish(blob.Id, completion, plaintext, null);
        }
        catch (Exception e)
        {
            _log($"blob {blob.Id.ToShortString()} in pack {blob.PackId.ToShortString()}: {OneLine(e)}");
            Finish(blob.Id, completion, null, e);
        }
    }

    private async Task ReadRangeAsync(PackRange range, byte[] buffer)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        timeout.CancelAfter(_options.Timeout);
        await _connections.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requests);
            await _backend.ReadAsync(new FileHandle(FileType.Pack, range.PackId.ToString()), range.Offset, buffer.AsMemory(0, range.Length), timeout.Token)
                .ConfigureAwait(false);
            Interlocked.Add(ref _bytesRead, range.Length);
        }
        catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
        {
            throw new TimeoutException($"the backend did not answer within {_options.Timeout.TotalSeconds:0} s");
        }
        finally
        {
            _connections.Release();
        }
    }

    private void Finish(ObjectId id, TaskCompletionSource<byte[]> completion, byte[]? plaintext, Exception? error)
    {
        _inFlight.TryRemove(new KeyValuePair<ObjectId, Task<byte[]>>(id, completion.Task));
        if (error is null) completion.TrySetResult(plaintext!);
        else completion.TrySetException(error);
        // Prefetched blobs nobody awaited must not surface as unobserved task exceptions.
        if (error != null) _ = completion.Task.Exception;
    }

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
