using StashMount.Backends;
using StashMount.Repository.Index;

namespace StashMount.Repository.Writer;

/// <summary>
/// Gathers the blobs of uploaded packs and writes them as index files of at most
/// <see cref="IndexFileSerializer.MaxBlobsPerFile"/> blobs. Packs are added only once stored, so an index
/// file never names a pack that is missing.
/// </summary>
internal sealed class IndexFileAccumulator(ResticRepository repository)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private List<KeyValuePair<ObjectId, IReadOnlyList<PackedBlob>>> _packs = [];
    private int _blobs;

    public List<ObjectId> SavedIndexFiles { get; } = [];

    public async Task AddPackAsync(ObjectId packId, IReadOnlyList<PackedBlob> blobs, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _packs.Add(new(packId, blobs));
            _blobs += blobs.Count;
            if (_blobs >= IndexFileSerializer.MaxBlobsPerFile)
                await SaveAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task SaveRemainingAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_packs.Count > 0)
                await SaveAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        var json = IndexFileSerializer.Serialize(_packs);
        SavedIndexFiles.Add(await repository.SaveUnpackedAsync(FileType.Index, json, cancellationToken).ConfigureAwait(false));
        _packs = [];
        _blobs = 0;
    }
}
