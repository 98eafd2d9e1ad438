using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace StashMount.Backends.Local;

/// <summary>
/// A repository in a local folder, in restic's layout. Saves write a temporary file, fsync it and rename it
/// into place, then make it read-only (0400) as restic does, so a crash never leaves a partial file.
/// </summary>
public sealed class LocalBackend : IBackend
{
    private readonly string _root;

    public LocalBackend(string root, int connections = 8)
    {
        _root = Path.GetFullPath(root);
        Connections = connections;
    }

    public string Location => _root;

    public int Connections { get; }

    /// <summary>Creates the folders of restic's layout (including the 256 data/xx folders).</summary>
    public void CreateLayout()
    {
        Directory.CreateDirectory(_root);
        foreach (var type in RepositoryLayout.AllTypes)
            Directory.CreateDirectory(Path.Combine(_root, RepositoryLayout.Folder(type)));
        for (var i = 0; i < 256; i++)
            Directory.CreateDirectory(Path.Combine(_root, "data", i.ToString("x2")));
    }

    private string PathOf(FileHandle handle) => Path.Combine(_root, RepositoryLayout.RelativePath(handle));

    public async IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (type == FileType.Config)
        {
            var config = new FileInfo(PathOf(FileHandle.Config));
            if (config.Exists) yield return new BackendFileInfo("", config.Length);
            yield break;
        }
        var folder = Path.Combine(_root, RepositoryLayout.Folder(type));
        if (!Directory.Exists(folder))
            yield break;
        var options = new EnumerationOptions { RecurseSubdirectories = type == FileType.Pack, IgnoreInaccessible = false, AttributesToSkip = 0 };
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Name.Contains(".tmp", StringComparison.Ordinal))
                continue;
            yield return new BackendFileInfo(file.Name, file.Length);
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(PathOf(handle));
        if (!info.Exists)
            throw new BackendFileNotFoundException(Location, handle);
        return Task.FromResult(new BackendFileInfo(handle.Name, info.Length));
    }

    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_directReads && await TryReadWholeDirectAsync(PathOf(handle), offset, destination, cancellationToken).ConfigureAwait(false))
            return;
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(PathOf(handle), FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BackendFileNotFoundException(Location, handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackendException($"cannot open {handle} in {Location}: {e.Message}", e);
        }
        using (file)
        {
            DirectRead.Plan(offset, destination, out var skip, out var direct);
            if (direct > 0 && _directReads && await TryReadDirectAsync(PathOf(handle), offset + skip, destination.Slice(skip, direct), cancellationToken).ConfigureAwait(false))
            {
                await ReadFullyAsync(file, handle, offset, destination[..skip], cancellationToken).ConfigureAwait(false);
                await ReadFullyAsync(file, handle, offset + skip + direct, destination[(skip + direct)..], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReadFullyAsync(file, handle, offset, destination, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private bool _directReads = true;

    /// <summary>Whether large aligned reads bypass the page cache (see <see cref="DirectRead"/>); off after the first refusal.</summary>
    internal bool DirectReads => _directReads;

    /// <summary>
    /// The whole range in one O_DIRECT read (<see cref="DirectRangeRead.ReadWholeAsync"/>); false when that is not possible,
    /// and the caller goes the way that also says why (a missing file) or turns direct reads off (a refusal).
    /// </summary>
    private static async Task<bool> TryReadWholeDirectAsync(string path, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        DirectRead.Plan(offset, destination, out _, out var direct);
        if (direct == 0)
            return false;
        using var file = DirectRead.Open(path);
        if (file is null)
            return false;
        try
        {
            return await DirectRangeRead.ReadWholeAsync(file, offset, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>False (and the caller reads buffered) when the filesystem refuses O_DIRECT or the read comes up short.</summary>
    private async Task<bool> TryReadDirectAsync(string path, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        using var file = DirectRead.Open(path);
        if (file is null)
        {
            _directReads = false;
            return false;
        }
        try
        {
            for (var done = 0; done < destination.Length;)
            {
                var n = await RandomAccess.ReadAsync(file, destination[done..], offset + done, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    return false;
                done += n;
            }
            return true;
        }
        catch (IOException)
        {
            _directReads = false; // e.g. EINVAL: this filesystem wants another alignment
            return false;
        }
    }

    private async Task ReadFullyAsync(SafeFileHandle file, FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var n = await RandomAccess.ReadAsync(file, destination[done..], offset + done, cancellationToken).ConfigureAwait(false);
            if (n == 0)
                throw new BackendException($"{handle} in {Location} is shorter than expected: wanted {destination.Length} bytes at offset {offset}");
            done += n;
        }
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var target = PathOf(handle);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
            throw new BackendException($"{handle} already exists in {Location}");
        var temp = $"{target}.tmp{Environment.ProcessId}.{Guid.NewGuid():N}";
        try
        {
            using (var file = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous))
            {
                var direct = _directWrites ? DirectWrite.AlignedLength(content) : 0;
                if (direct > 0 && await TryWriteDirectAsync(temp, content[..direct], cancellationToken).ConfigureAwait(false))
                    await RandomAccess.WriteAsync(file, content[direct..], direct, cancellationToken).ConfigureAwait(false);
                else
                    await RandomAccess.WriteAsync(file, content, 0, cancellationToken).ConfigureAwait(false);
                RandomAccess.FlushToDisk(file);
            }
            File.SetUnixFileMode(temp, UnixFileMode.UserRead);
            File.Move(temp, target, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new BackendException($"cannot save {handle} in {Location}: {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private bool _directWrites = true;

    /// <summary>False (and the caller writes buffered) when the filesystem refuses O_DIRECT; direct writes stay off after that.</summary>
    private async Task<bool> TryWriteDirectAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var file = DirectWrite.Open(path);
        if (file is null)
        {
            _directWrites = false;
            return false;
        }
        try
        {
            await RandomAccess.WriteAsync(file, content, 0, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            _directWrites = false; // e.g. EINVAL: this filesystem wants another alignment; the buffered write starts over
            return false;
        }
    }

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        try
        {
            File.Delete(PathOf(handle));
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackendException($"cannot remove {handle} from {Location}: {e.Message}", e);
        }
        return Task.CompletedTask;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
