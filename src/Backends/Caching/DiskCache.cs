using System.Collections.Concurrent;

namespace StashMount.Backends.Caching;

/// <summary>
/// A folder of immutable cached bytes, trimmed least recently used first to a byte budget. Whole files live
/// under <c>index/</c> and <c>snapshots/</c> by name; pack ranges under <c>packs/&lt;pack&gt;/&lt;offset&gt;-&lt;length&gt;</c>.
/// Entries are written to a temporary name and renamed, so a reader never sees a partial entry, and a hit
/// touches the entry's modification time, which is what the trim orders by.
/// </summary>
public sealed class DiskCache
{
    private readonly long _maxBytes;
    private readonly ConcurrentDictionary<string, SortedList<long, int>> _ranges = new(StringComparer.Ordinal);
    private long _bytes;
    private int _trimming;

    public DiskCache(string directory, long maxBytes)
    {
        Directory = Path.GetFullPath(directory);
        _maxBytes = maxBytes;
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Scan();
    }

    public string Directory { get; }

    /// <summary>Bytes held now (as counted at start-up plus what was added and trimmed since).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public string FilePath(FileHandle handle) => Path.Join(Directory, FolderOf(handle.Type), handle.Name);

    private static string FolderOf(FileType type) => type switch
    {
        FileType.Index => "index",
        FileType.Snapshot => "snapshots",
        FileType.Pack => "packs",
        _ => throw new ArgumentException($"{type} files are not cached", nameof(type)),
    };

    private string RangePath(string pack, long offset, int length) => Path.Join(Directory, "packs", pack, $"{offset}-{length}");

    /// <summary>The cached range of <paramref name="pack"/> that holds [offset, offset+length), if any.</summary>
    public (string Path, long Start)? FindRange(string pack, long offset, int length)
    {
        if (!_ranges.TryGetValue(pack, out var ranges))
            return null;
        lock (ranges)
        {
            foreach (var (start, size) in ranges)
            {
                if (start > offset)
                    break;
                if (start + size >= offset + length)
                    return (RangePath(pack, start, size), start);
            }
        }
        return null;
    }

    /// <summary>Stores an entry (atomically; an existing entry is left as it is) and trims if the budget is passed.</summary>
    public void Store(string path, ReadOnlySpan<byte> content)
    {
        if (content.Length > _maxBytes || File.Exists(path))
            return;
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var file = File.Create(temporary))
            file.Write(content);
        File.Move(temporary, path, overwrite: true);
        Interlocked.Add(ref _bytes, content.Length);
        if (Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))) == "packs")
            Remember(Path.GetFileName(Path.GetDirectoryName(path))!, Path.GetFileName(path));
        if (Bytes > _maxBytes && Interlocked.Exchange(ref _trimming, 1) == 0)
            _ = Task.Run(Trim);
    }

    public void StoreRange(string pack, long offset, ReadOnlySpan<byte> content) => Store(RangePath(pack, offset, content.Length), content);

    /// <summary>Marks an entry as just used (the trim keeps recently used entries).</summary>
    public static void Touch(string path)
    {
        try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Deletes least recently used entries until the cache holds at most 90 % of its budget.</summary>
    public void Trim()
    {
        try
        {
            var files = new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(f => !f.Name.Contains(".tmp-", StringComparison.Ordinal))
                .OrderBy(f => f.LastWriteTimeUtc).ToList();
            var total = files.Sum(f => f.Length);
            var target = _maxBytes / 10 * 9;
            foreach (var file in files)
            {
                if (total <= target)
                    break;
                try
                {
                    var length = file.Length; // FileInfo forgets its state on Delete
                    file.Delete();
                    total -= length;
                    if (file.Directory?.Parent?.Name == "packs")
                        Forget(file.Directory.Name, file.Name);
                }
                catch (IOException) { }
            }
            Interlocked.Exchange(ref _bytes, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be trimmed is still a cache; the next store tries again.
        }
        finally
        {
            Interlocked.Exchange(ref _trimming, 0);
        }
    }

    private void Scan()
    {
        long total = 0;
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (file.Name.Contains(".tmp-", StringComparison.Ordinal))
            {
                try { file.Delete(); } catch (IOException) { }
                continue;
            }
            total += file.Length;
            if (file.Directory?.Parent?.Name == "packs")
                Remember(file.Directory.Name, file.Name);
        }
        _bytes = total;
    }

    private void Remember(string pack, string name)
    {
        if (!TryParseRange(name, out var offset, out var length))
            return;
        var ranges = _ranges.GetOrAdd(pack, _ => []);
        lock (ranges) ranges[offset] = Math.Max(length, ranges.GetValueOrDefault(offset));
    }

    private void Forget(string pack, string name)
    {
        if (TryParseRange(name, out var offset, out _) && _ranges.TryGetValue(pack, out var ranges))
            lock (ranges) ranges.Remove(offset);
    }

    private static bool TryParseRange(string name, out long offset, out int length)
    {
        length = 0;
        var dash = name.IndexOf('-');
        return long.TryParse(name.AsSpan(0, Math.Max(dash, 0)), out offset) && int.TryParse(name.AsSpan(dash + 1), out length);
    }
}
