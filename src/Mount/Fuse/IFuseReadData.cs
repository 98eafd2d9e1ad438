namespace StashMount.Mount.Fuse;

/// <summary>
/// The answer to a read: pieces of memory the filesystem already holds, sent to the kernel as they are in one
/// reply (fuse_reply_iov) instead of being copied into a reply buffer first. <see cref="Release"/> is called
/// exactly once, after the reply was sent (or could not be), and gives the pieces back.
/// </summary>
public interface IFuseReadData
{
    /// <summary>Number of pieces, in file order.</summary>
    int Count { get; }

    /// <summary>One piece; pinning it must be cheap (native memory), since it is pinned for every reply.</summary>
    ReadOnlyMemory<byte> this[int index] { get; }

    void Release();
}
