namespace StashMount.Mount.DataPath;

/// <summary>
/// A blob being fetched, and how many readers joined it: each gets its own reference to the buffer when it
/// completes, so no reader can find it already recycled. Prefetches join without a reference.
/// </summary>
internal sealed class PendingBlob
{
    public TaskCompletionSource<BlobBuffer> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set once the blob's bytes arrived from the backend (then only decoding is left).</summary>
    public volatile bool Fetched;

    /// <summary>Set when the reader it was fetched ahead for went past it (changed under the fetcher's lock): not to be kept cached.</summary>
    public bool Passed { get; set; }

    /// <summary>References to hand out on completion (changed under the fetcher's lock).</summary>
    public int Readers { get; set; }
}
