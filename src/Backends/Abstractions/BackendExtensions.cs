namespace StashMount.Backends;

public static class BackendExtensions
{
    /// <summary>Reads a whole file into a new array (for small files: config, keys, snapshots, indexes, locks).</summary>
    public static async Task<byte[]> ReadAllAsync(this IBackend backend, FileHandle handle, CancellationToken cancellationToken = default)
    {
        var info = await backend.StatAsync(handle, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[info.Size];
        if (buffer.Length > 0)
            await backend.ReadAsync(handle, 0, buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    public static async Task<bool> ExistsAsync(this IBackend backend, FileHandle handle, CancellationToken cancellationToken = default)
    {
        try
        {
            await backend.StatAsync(handle, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BackendFileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The file's size, or null when it does not exist: one round trip, for listing the config.</summary>
    public static async Task<BackendFileInfo?> TryStatAsync(this IBackend backend, FileHandle handle, CancellationToken cancellationToken = default)
    {
        try
        {
            return await backend.StatAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendFileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The listing of <see cref="FileType.Config"/>: the one config file, if present, found with a single stat.
    /// Object stores share this; their prefix listings serve the other types.
    /// </summary>
    public static async IAsyncEnumerable<BackendFileInfo> ListConfigAsync(this IBackend backend,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (await backend.TryStatAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false) is { } config)
            yield return config;
    }

    /// <summary>A whole listing collected, so a wrapper can run it as one guarded unit and hand it out afterwards.</summary>
    public static async Task<List<BackendFileInfo>> ListAllAsync(this IBackend backend, FileType type, CancellationToken cancellationToken = default)
    {
        var list = new List<BackendFileInfo>();
        await foreach (var file in backend.ListAsync(type, cancellationToken).ConfigureAwait(false))
            list.Add(file);
        return list;
    }
}
