using StashMount.Backends;
using StashMount.Backends.Caching;
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
    private readonly Dictionary<ObjectId, PendingBlob> _inFlight = [];
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

    /// <summary>Where plaintext and raw range buffers come from.</summary>
    public BlobBufferPool Pool => Cache.Pool;

    public long BackendRequests => Interlocked.Read(ref _requests);

    public long BackendBytes => Interlocked.Read(ref _bytesRead);

    /// <summary>The plaintext length of a data blob, from the index (-1 when the index does not know it).</summary>
    public long PlaintextLength(ObjectId id) => _locate(id) is { } blob ? blob.PlaintextLength : -1;

    /// <summary>
    /// One task per ID. Blobs neither cached nor in flight are fetched together, so neighbours in a pack share
    /// one range request. With <paramref name="forReader"/>, each task's buffer carries a reference the caller
    /// must release (see <see cref="ReleaseWhenDone"/> for a caller that stops waiting); without it (prefetch)
    /// the tasks only tell when the blobs are cached, and failures are dropped. Without <paramref name="keepOnDisk"/>
    /// (data streamed ahead of a sequential reader), ranges fetched for these blobs are not written to the disk cache.
    /// </summary>
    public Task<BlobBuffer>[] Request(IReadOnlyList<ObjectId> ids, bool forReader = true, bool keepOnDisk = true)
    {
        var tasks = new Task<BlobBuffer>[ids.Count];
        List<(PackedBlob Blob, PendingBlob Pending)>? fresh = null;
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (!forReader && Cache.Contains(id))
            {
                tasks[i] = Done;
                continue;
            }
            if (forReader && Cache.TryGet(id) is { } cached)
            {
                tasks[i] = Task.FromResult(cached);
                continue;
            }
            lock (_inFlight)
            {
                if (_inFlight.TryGetValue(id, out var running))
                {
                    if (forReader) running.Readers++;
                    tasks[i] = running.Completion.Task;
                    continue;
                }
            }
            if (_locate(id) is not { } blob)
            {
                tasks[i] = Task.FromException<BlobBuffer>(new BlobNotFoundException(id, BlobType.Data));
                continue;
            }
            lock (_inFlight)
            {
                if (!_inFlight.TryGetValue(id, out var pending))
                {
                    pending = new PendingBlob();
                    _inFlight[id] = pending;
                    (fresh ??= []).Add((blob, pending));
                }
                if (forReader) pending.Readers++;
                tasks[i] = pending.Completion.Task;
            }
        }
        if (fresh != null)
            Start(fresh, keepOnDisk);
        return tasks;
    }

    /// <summary>Whether the blob is in flight and its bytes have not arrived yet (a reader waiting for it waits on I/O).</summary>
    public bool AwaitsBackend(ObjectId id)
    {
        lock (_inFlight) return _inFlight.TryGetValue(id, out var pending) && !pending.Fetched;
    }

    /// <summary>
    /// The blob, fetched ahead, will not be read after all (the reader went past it): out of the memory cache, now or,
    /// when still in flight, as soon as it arrives (it is added before the flag is checked, and the flag is set before
    /// this removes it, so one of the two removals finds it).
    /// </summary>
    public void Forget(ObjectId id)
    {
        lock (_inFlight)
        {
            if (_inFlight.TryGetValue(id, out var pending))
                pending.Passed = true;
        }
        Cache.Remove(id);
    }

    /// <summary>For a reader that gave up waiting (cancelled): the reference it was promised is released on arrival.</summary>
    public static void ReleaseWhenDone(Task<BlobBuffer> task) =>
        task.ContinueWith(static t => t.Result.Release(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static readonly Task<BlobBuffer> Done = Task.FromResult<BlobBuffer>(null!);

    private void Start(List<(PackedBlob Blob, PendingBlob Pending)> fresh, bool keepOnDisk)
    {
        var pendings = new Dictionary<ObjectId, PendingBlob>(fresh.Count);
        foreach (var (blob, pending) in fresh)
            pendings.TryAdd(blob.Id, pending);
        foreach (var range in RangePlanner.Plan(fresh.Select(f => f.Blob), _options.CoalesceGapBytes, _options.MaxRequestBytes))
        {
            _ = FetchRangeAsync(range, [.. range.Blobs.Select(b => (b, pendings[b.Id]))], keepOnDisk);
        }
    }

    private async Task FetchRangeAsync(PackRange range, List<(PackedBlob Blob, PendingBlob Pending)> waiting, bool keepOnDisk)
    {
        BlobBuffer? buffer = null;
        try
        {
            try
            {
                buffer = await ReadRangeAsync(range, keepOnDisk).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _log($"reading pack {range.PackId.ToShortString()} [{range.Offset}+{range.Length}] failed: {OneLine(e)}");
                foreach (var (blob, pending) in waiting)
                    Finish(blob.Id, pending, null, e);
                return;
            }
            foreach (var (_, pending) in waiting)
                pending.Fetched = true;
            // Each blob is decrypted and checked on its own pool thread, so one range uses every core and a
            // reader waiting for the first blob does not wait for the whole range.
            var decodes = new Task[waiting.Count];
            for (var i = 0; i < waiting.Count; i++)
            {
                var (blob, pending) = waiting[i];
                decodes[i] = Task.Run(() => Decode(range, buffer, blob, pending));
            }
            await Task.WhenAll(decodes).ConfigureAwait(false);
        }
        finally
        {
            buffer?.Release();
        }
    }

    private void Decode(PackRange range, BlobBuffer stored, PackedBlob blob, PendingBlob pending)
    {
        BlobBuffer? plaintext = null;
        try
        {
            plaintext = Pool.Rent((int)blob.PlaintextLength, blob.Id);
            // Each blob owns its slice of the range buffer, so its frame can be decrypted in place.
            BlobDecoder.DecodeInPlace(_key, blob, stored.Writable.Slice(Skew(range) + (int)(blob.Offset - range.Offset), (int)blob.Length), plaintext.Writable);
            Cache.Add(blob.Id, plaintext);
            bool passed;
            lock (_inFlight) passed = pending.Passed;
            if (passed)
                Cache.Remove(blob.Id);
            Finish(blob.Id, pending, plaintext, null);
        }
        catch (Exception e)
        {
            _log($"blob {blob.Id.ToShortString()} in pack {blob.PackId.ToShortString()}: {OneLine(e)}");
            Finish(blob.Id, pending, null, e);
        }
        finally
        {
            plaintext?.Release();
        }
    }

    /// <summary>
    /// Where a range starts in its (page-aligned) buffer: at the same offset within a 4 KiB page as in the pack, so
    /// a local backend can read the aligned middle straight from the disk (O_DIRECT) without a page-cache copy.
    /// </summary>
    private static int Skew(PackRange range) => (int)(range.Offset % 4096);

    /// <summary>Reads the range into a pooled buffer, taken only once a connection is free, so ranges queued
    /// behind the connection limit hold no memory.</summary>
    private async Task<BlobBuffer> ReadRangeAsync(PackRange range, bool keepOnDisk)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        timeout.CancelAfter(_options.Timeout);
        await _connections.WaitAsync(timeout.Token).ConfigureAwait(false);
        var buffer = Pool.Rent(Skew(range) + Math.Max(range.Length, 1));
        try
        {
            Interlocked.Increment(ref _requests);
            var pack = new FileHandle(FileType.Pack, range.PackId.ToString());
            var destination = buffer.Memory.Slice(Skew(range), range.Length);
            await (keepOnDisk || _backend is not DiskCachingBackend disk
                ? _backend.ReadAsync(pack, range.Offset, destination, timeout.Token)
                : disk.ReadAsync(pack, range.Offset, destination, keep: false, timeout.Token)).ConfigureAwait(false);
            Interlocked.Add(ref _bytesRead, range.Length);
            return buffer;
        }
        catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
        {
            buffer.Release();
            throw new TimeoutException($"the backend did not answer within {_options.Timeout.TotalSeconds:0} s");
        }
        catch
        {
            buffer.Release();
            throw;
        }
        finally
        {
            _connections.Release();
        }
    }

    /// <summary>Completes a blob: every reader that joined gets its own reference (taken while the producer still holds one).</summary>
    private void Finish(ObjectId id, PendingBlob pending, BlobBuffer? plaintext, Exception? error)
    {
        int readers;
        lock (_inFlight)
        {
            _inFlight.Remove(id);
            readers = pending.Readers;
        }
        if (error is null)
        {
            for (var i = 0; i < readers; i++)
                plaintext!.TryAcquire();
            pending.Completion.TrySetResult(plaintext!);
        }
        else
        {
            pending.Completion.TrySetException(error);
            // Prefetched blobs nobody awaited must not surface as unobserved task exceptions.
            _ = pending.Completion.Task.Exception;
        }
    }

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
