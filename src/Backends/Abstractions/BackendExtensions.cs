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
}
