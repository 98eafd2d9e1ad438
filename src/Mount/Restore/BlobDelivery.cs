using StashMount.Repository.Index;

namespace StashMount.Mount.Restore;

/// <summary>
/// One fetch of one data blob and the file positions it fills. Files found later in the walk join it until a reader
/// takes its targets; a file that needs the blob after that gets a new delivery (the blob is read once more), so
/// content can be fetched while the trees are still being walked.
/// </summary>
public sealed class BlobDelivery(PackedBlob blob)
{
    private readonly List<BlobTarget> _targets = [];
    private bool _taken;

    public PackedBlob Blob { get; } = blob;

    /// <summary>Adds a position unless a reader took the targets already; false then.</summary>
    public bool TryAdd(BlobTarget target)
    {
        lock (_targets)
        {
            if (_taken)
                return false;
            _targets.Add(target);
            return true;
        }
    }

    /// <summary>Called once by the reader holding the blob: no target joins after this.</summary>
    public List<BlobTarget> Take()
    {
        lock (_targets)
        {
            _taken = true;
            return _targets;
        }
    }
}
