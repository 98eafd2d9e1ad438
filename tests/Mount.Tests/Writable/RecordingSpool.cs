using System.Collections.Concurrent;
using StashMount.Mount.Writable;

namespace StashMount.Mount.Tests.Writable;

/// <summary>
/// A test-only spool over a temp directory: records every notification, and can empty the tree the way a commit
/// does (waits for changes in progress, holds new ones back, deletes everything, raises TreeEmptied). Files are
/// created from a <see cref="SpoolFilePool"/>, as the real spool's are.
/// </summary>
internal sealed class RecordingSpool(string treeRoot) : IWriteSpool, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SpoolFilePool _pool = new(treeRoot);
    private int _active;

    public string TreeRoot { get; } = treeRoot;

    public ConcurrentQueue<(string Kind, string Path)> Events { get; } = new();

    public event Action? TreeEmptied;

    public async ValueTask<IDisposable> EnterChangeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _active);
        _gate.Release();
        return new Scope(this);
    }

    public int TakeEmptyFile(string fullPath) => _pool.Take(fullPath);

    public void FileOpenedForWrite(string relativePath) => Events.Enqueue(("opened", relativePath));

    public void FileClosed(string relativePath) => Events.Enqueue(("closed", relativePath));

    public void FileWriteFailed(string relativePath) => Events.Enqueue(("failed", relativePath));

    public void Changed(string relativePath) => Events.Enqueue(("changed", relativePath));

    public bool Saw(string kind, string path) => Events.Contains((kind, path));

    /// <summary>What a commit does to the tree once the snapshot is written.</summary>
    public async Task EmptyAsync()
    {
        await _gate.WaitAsync();
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (Volatile.Read(ref _active) > 0 && DateTime.UtcNow < deadline)
                await Task.Delay(10);
            foreach (var entry in Directory.EnumerateFileSystemEntries(TreeRoot))
            {
                if (Directory.Exists(entry) && new FileInfo(entry).LinkTarget is null) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            TreeEmptied?.Invoke();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _pool.Dispose();

    private sealed class Scope(RecordingSpool spool) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                Interlocked.Decrement(ref spool._active);
        }
    }
}
