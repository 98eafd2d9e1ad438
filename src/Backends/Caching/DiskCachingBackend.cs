using System.Buffers;
using System.Collections.Concurrent;

namespace StashMount.Backends.Caching;

/// <summary>
/// Keeps what a remount needs again on local disk, so it does not go back to remote storage: whole index and
/// snapshot files (named by their hash, so a cached copy never goes stale) and pack ranges that were read (tree
/// blobs, and data when <c>cachePackRanges</c>, unless the reader says not to keep them). Listings, stats of other files, writes and removals always go
/// to the storage. Entries are written behind the read, on a pool thread, and skipped when too many bytes are
/// already waiting, so a cold read never waits for the disk. Cached bytes are still checked by whoever decrypts
/// them (MAC and hash), so a damaged entry is an error there, never silent.
/// </summary>
public sealed class DiskCachingBackend : IBackend
{
    private const long MaxPendingWrites = 32L << 20;
    private readonly IBackend _inner;
    private readonly bool _cachePackRanges;
    private readonly int _maxRangeBytes;
    private readonly ConcurrentDictionary<FileHandle, long> _sizes = new();
    private long _pendingWrites;
    private long _hits;

    public DiskCachingBackend(IBackend inner, DiskCache cache, bool cachePackRanges, int maxRangeBytes = 8 << 20)
    {
        _inner = inner;
        Cache = cache;
        _cachePackRanges = cachePackRanges;
        _maxRangeBytes = maxRangeBytes;
    }

    public DiskCache Cache { get; }

    /// <summary>Reads answered from the disk cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public string Location => _inner.Location;

    public int Connections => _inner.Connections;

    private static bool IsWholeFileType(FileType type) => type is FileType.Index or FileType.Snapshot;

    public async IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var file in _inner.ListAsync(type, cancellationToken).ConfigureAwait(false))
        {
            if (IsWholeFileType(type))
                _sizes[new FileHandle(type, file.Name)] = file.Size;
            yield return file;
        }
    }

    public async Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        if (IsWholeFileType(handle.Type) && Length(Cache.FilePath(handle)) is { } cached)
            return new BackendFileInfo(handle.Name, cached);
        var info = await _inner.StatAsync(handle, cancellationToken).ConfigureAwait(false);
        if (IsWholeFileType(handle.Type))
            _sizes[handle] = info.Size;
        return info;
    }

    public Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        ReadAsync(handle, offset, destination, keep: true, cancellationToken);

    /// <summary>
    /// A read served from the disk cache when it holds the bytes; with <paramref name="keep"/> false, bytes fetched
    /// from the storage are not written to it. For data streamed ahead of a sequential reader: storing every range
    /// of a big file costs a copy, a disk write and its writeback on the cores the stream needs, and would push
    /// the tree and index data a remount needs out of the budget.
    /// </summary>
    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, bool keep, CancellationToken cancellationToken)
    {
        if (await TryReadCachedAsync(handle, offset, destination, cancellationToken).ConfigureAwait(false))
            return;
        await _inner.ReadAsync(handle, offset, destination, cancellationToken).ConfigureAwait(false);
        if (!keep)
            return;
        if (IsWholeFileType(handle.Type))
        {
            if (offset == 0 && _sizes.TryGetValue(handle, out var size) && size == destination.Length)
                WriteBehind(Cache.FilePath(handle), null, 0, destination.Span);
        }
        else if (handle.Type == FileType.Pack && _cachePackRanges && destination.Length <= _maxRangeBytes)
        {
            WriteBehind(null, handle.Name, offset, destination.Span);
        }
    }

    private async Task<bool> TryReadCachedAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        string? path = null;
        long start = 0;
        if (IsWholeFileType(handle.Type))
            path = Cache.FilePath(handle);
        else if (handle.Type == FileType.Pack && Cache.FindRange(handle.Name, offset, destination.Length) is { } range)
            (path, start) = range;
        if (path is null)
            return false;
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            if (RandomAccess.GetLength(file) < offset - start + destination.Length)
                return false;
            var done = 0;
            while (done < destination.Length)
            {
                var n = await RandomAccess.ReadAsync(file, destination[done..], offset - start + done, cancellationToken).ConfigureAwait(false);
                if (n == 0) return false;
                done += n;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        DiskCache.Touch(path);
        Interlocked.Increment(ref _hits);
        return true;
    }

    /// <summary>Copies the bytes and stores them on a pool thread; drops them when too much is already waiting.</summary>
    private void WriteBehind(string? path, string? pack, long offset, ReadOnlySpan<byte> content)
    {
        if (Interlocked.Add(ref _pendingWrites, content.Length) > MaxPendingWrites)
        {
            Interlocked.Add(ref _pendingWrites, -content.Length);
            return;
        }
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(content.Length, 1));
        content.CopyTo(copy);
        var length = content.Length;
        _ = Task.Run(() =>
        {
            try
            {
                if (path != null) Cache.Store(path, copy.AsSpan(0, length));
                else Cache.StoreRange(pack!, offset, copy.AsSpan(0, length));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A full or read-only disk only means no cache.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
                Interlocked.Add(ref _pendingWrites, -length);
            }
        });
    }

    private static long? Length(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        _inner.SaveAsync(handle, content, cancellationToken);

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        _inner.RemoveAsync(handle, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
