namespace StashMount.Repository.Writer;

/// <summary>What a writer added to the repository (restic's data_blobs, tree_blobs, data_added, data_added_packed).</summary>
public sealed class WriteStatistics
{
    private long _dataBlobs, _treeBlobs, _dataAdded, _dataAddedPacked;

    public long DataBlobs => Interlocked.Read(ref _dataBlobs);
    public long TreeBlobs => Interlocked.Read(ref _treeBlobs);
    /// <summary>Plaintext bytes of the new blobs.</summary>
    public long DataAdded => Interlocked.Read(ref _dataAdded);
    /// <summary>Stored (compressed, encrypted) bytes of the new blobs.</summary>
    public long DataAddedPacked => Interlocked.Read(ref _dataAddedPacked);

    internal void AddBlob(BlobType type, long plaintextLength, long storedLength)
    {
        Interlocked.Increment(ref type == BlobType.Tree ? ref _treeBlobs : ref _dataBlobs);
        Interlocked.Add(ref _dataAdded, plaintextLength);
        Interlocked.Add(ref _dataAddedPacked, storedLength);
    }
}
