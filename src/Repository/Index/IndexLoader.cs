using StashMount.Backends;

namespace StashMount.Repository.Index;

/// <summary>
/// Loads index files into a repository's <see cref="BlobIndex"/>, remembering which are loaded so that later
/// calls (a mount's refresh) only fetch new ones. Loads run in parallel up to the backend's connection count;
/// calls are serialised.
/// </summary>
internal sealed class IndexLoader
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<ObjectId> _loaded = [];

    public async Task<int> LoadNewAsync(ResticRepository repository, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = new List<ObjectId>();
            await foreach (var file in repository.Backend.ListAsync(FileType.Index, cancellationToken).ConfigureAwait(false))
                if (ObjectId.TryParse(file.Name, out var id) && !_loaded.Contains(id))
                    pending.Add(id);

            var loaded = 0;
            var options = new ParallelOptions
            {
                MaxDegreeOfParallelism = Math.Max(1, repository.Backend.Connections),
                CancellationToken = cancellationToken,
            };
            await Parallel.ForEachAsync(pending, options, async (id, token) =>
            {
                var handle = new FileHandle(FileType.Index, id.ToString());
                byte[] plaintext;
                try
                {
                    plaintext = await repository.LoadUnpackedAsync(handle, token).ConfigureAwait(false);
                }
                catch (BackendFileNotFoundException)
                {
                    return; // removed since the listing (a concurrent prune); its replacement is listed next time
                }
                var index = IndexFileParser.Parse(plaintext, handle.ToString());
                if (repository.Config.Version < 2)
                    foreach (var blob in index.Blobs)
                        if (blob.IsCompressed)
                            throw new IntegrityException($"{handle}: index uses feature not supported by repository version 1");
                repository.Index.Add(index.Blobs);
                lock (_loaded)
                    _loaded.Add(id);
                Interlocked.Increment(ref loaded);
            }).ConfigureAwait(false);
            return loaded;
        }
        finally
        {
            _gate.Release();
        }
    }
}
