using StashMount.Backends;

namespace StashMount.Repository.Index;

/// <summary>
/// Loads index files into a repository's <see cref="BlobIndex"/>, remembering which are loaded so that later
/// calls (a mount's refresh) only fetch new ones. When a loaded index file has disappeared (a prune or
/// repair rewrote the index), the index is rebuilt from the current files and swapped in at once, so that no
/// entry keeps pointing into a deleted pack. Loads run in parallel up to the backend's connection count;
/// calls are serialised.
/// </summary>
internal sealed class IndexLoader
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HashSet<ObjectId> _loaded = [];

    public async Task<int> LoadNewAsync(ResticRepository repository, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var listed = new HashSet<ObjectId>();
            await foreach (var file in repository.Backend.ListAsync(FileType.Index, cancellationToken).ConfigureAwait(false))
                if (ObjectId.TryParse(file.Name, out var id))
                    listed.Add(id);

            if (_loaded.IsSubsetOf(listed))
                return await LoadFilesAsync(repository, listed.Where(id => !_loaded.Contains(id)).ToList(), repository.Index, _loaded, cancellationToken).ConfigureAwait(false);

            var rebuilt = new BlobIndex();
            var loaded = new HashSet<ObjectId>();
            var count = await LoadFilesAsync(repository, listed.ToList(), rebuilt, loaded, cancellationToken).ConfigureAwait(false);
            repository.Index.ReplaceWith(rebuilt);
            _loaded = loaded;
            return count;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>An index file saved by this process, whose blobs the caller knows: added without reading it, once.</summary>
    public async Task AddSavedAsync(ResticRepository repository, ObjectId file, IReadOnlyList<PackedBlob> blobs, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_loaded.Add(file))
                repository.Index.Add(blobs);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<int> LoadFilesAsync(ResticRepository repository, List<ObjectId> files, BlobIndex index, HashSet<ObjectId> loaded, CancellationToken cancellationToken)
    {
        var count = 0;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, repository.Backend.Connections),
            CancellationToken = cancellationToken,
        };
        var buffers = IndexFileDecoder.CreateBufferPool();
        await Parallel.ForEachAsync(files, options, async (id, token) =>
        {
            var handle = new FileHandle(FileType.Index, id.ToString());
            IndexFile file;
            try
            {
                file = await repository.LoadIndexFileAsync(id, buffers, token).ConfigureAwait(false);
            }
            catch (BackendFileNotFoundException)
            {
                return; // removed since the listing (a concurrent prune); its replacement is listed next time
            }
            if (repository.Config.Version < 2)
                foreach (var blob in file.Blobs)
                    if (blob.IsCompressed)
                        throw new IntegrityException($"{handle}: index uses feature not supported by repository version 1");
            index.Add(file.Blobs);
            lock (loaded)
                loaded.Add(id);
            Interlocked.Increment(ref count);
        }).ConfigureAwait(false);
        return count;
    }
}
