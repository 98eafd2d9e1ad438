namespace StashMount.Mount.Restore;

/// <summary>
/// The content side of one restored regular file: it is created when its first blob arrives, written through one
/// descriptor kept open until its last blob (whatever pack order the blobs come in), and its metadata is then set
/// through that same descriptor. Guarded by <see cref="Gate"/>: blobs of one file may arrive on several threads.
/// </summary>
public sealed class TargetFile(long size, int blobCount, bool alreadyCreated)
{
    public Lock Gate { get; } = new();

    public long Size { get; } = size;

    public int BlobCount { get; } = blobCount;

    /// <summary>Blobs not yet written (or failed); the descriptor is closed when this reaches zero.</summary>
    public int PendingBlobs { get; set; } = blobCount;

    /// <summary>The open descriptor, or -1.</summary>
    public int Descriptor { get; set; } = -1;

    /// <summary>A second descriptor for direct writes (<see cref="DirectFileWrites"/>), or -1; closed with the first.</summary>
    public int DirectDescriptor { get; set; } = -1;

    /// <summary>Writes in flight outside <see cref="Gate"/>: the descriptors are not closed while any is.</summary>
    public int Writes { get; set; }

    /// <summary>Made already (by an earlier open, or by the planner for a file other paths hard-link to): reopen without truncating.</summary>
    public bool Created { get; set; } = alreadyCreated;

    /// <summary>Created by this restore's own exclusive open: its owner and mode are what <see cref="NewFileDefaults"/> says.</summary>
    public bool Fresh { get; set; }

    /// <summary>The mode a <see cref="Fresh"/> file was created with, when it is already the node's (no fchmod needed).</summary>
    public uint? CreatedMode { get; set; }

    /// <summary>The planner made it (a hard link source): its metadata is left to the path-based pass, as for its links.</summary>
    public bool MadeByPlanner { get; } = alreadyCreated;
}
