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

    /// <summary>
    /// The index files saved so far, each with its blobs while they add up to at most <see cref="KeptBlobs"/>
    /// (null beyond: a reader loads that file instead), so the process that wrote them can add them to another
    /// repository instance without reading them back.
    /// </summary>
    public List<(ObjectId File, IReadOnlyList<PackedBlob>? Blobs)> SavedIndexFiles { get; } = [];

    /// <summary>About 6 MiB of entries at most kept for <see cref="SavedIndexFiles"/>.</summary>
    public const int KeptBlobs = 100_000;

    private int _keptBlobs;

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
        var id = await repository.SaveUnpackedAsync(FileType.Index, json, cancellationToken).ConfigureAwait(false);
        _keptBlobs += _blobs;
        SavedIndexFiles.Add((id, _keptBlobs <= KeptBlobs ? _packs.SelectMany(pack => pack.Value).ToList() : null));
        _packs = [];
        _blobs = 0;
    }
}
