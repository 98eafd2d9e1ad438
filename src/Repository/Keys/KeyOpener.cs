using StashMount.Backends;

namespace StashMount.Repository.Keys;

/// <summary>
/// Finds the key file the password opens: the one named by the key hint (an ID prefix) first, then all others,
/// two at a time because scrypt is deliberately expensive in time and memory.
/// </summary>
public static class KeyOpener
{
    public static async Task<OpenedKey> OpenAsync(IBackend backend, string password, string? keyHint = null, CancellationToken cancellationToken = default)
    {
        var ids = new List<string>();
        await foreach (var file in backend.ListAsync(FileType.Key, cancellationToken).ConfigureAwait(false))
            if (ObjectId.TryParse(file.Name, out _))
                ids.Add(file.Name);

        if (!string.IsNullOrEmpty(keyHint))
        {
            var hinted = ids.Where(id => id.StartsWith(keyHint, StringComparison.OrdinalIgnoreCase)).ToList();
            if (hinted.Count == 1)
            {
                // As restic does, a hinted key that does not open is not fatal: the others are tried next.
                var opened = await TryOpenAsync(backend, hinted[0], password, cancellationToken).ConfigureAwait(false);
                if (opened != null)
                    return opened;
                ids.Remove(hinted[0]);
            }
        }

        OpenedKey? found = null;
        var unreadable = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new ParallelOptions
        {
            // scrypt lanes already use the cores; two keys at once bound the memory (see Scrypt).
            MaxDegreeOfParallelism = 2,
            CancellationToken = stop.Token,
        };
        try
        {
            await Parallel.ForEachAsync(ids, options, async (id, token) =>
            {
                OpenedKey? opened;
                try
                {
                    opened = await TryOpenAsync(backend, id, password, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IntegrityException or BackendFileNotFoundException)
                {
                    // A damaged key file, or one removed since the listing, must not hide a good key.
                    unreadable.Enqueue(e);
                    return;
                }
                if (opened != null && Interlocked.CompareExchange(ref found, opened, null) == null)
                    await stop.CancelAsync().ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (found != null && !cancellationToken.IsCancellationRequested)
        {
        }
        if (found != null)
            return found;
        // Only when no key file could even be read is the damage, not the password, the error to report.
        if (ids.Count > 0 && unreadable.Count == ids.Count && unreadable.TryPeek(out var first) && first is IntegrityException damaged)
            throw damaged;
        throw new WrongPasswordException();
    }

    private static async Task<OpenedKey?> TryOpenAsync(IBackend backend, string id, string password, CancellationToken cancellationToken)
    {
        var json = await backend.ReadAllAsync(new FileHandle(FileType.Key, id), cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var file = KeyFileCodec.Parse(json, id);
        var key = KeyFileCodec.TryUnlock(file, password, id);
        return key is null ? null : new OpenedKey(key, id);
    }
}
