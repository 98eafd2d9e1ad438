using System.Collections.Concurrent;
using StashMount.Mount.DataPath;
using StashMount.Mount.Fuse;
using StashMount.Repository;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// Whole-directory readahead for small files. tar, cp -a and rsync open a directory's files one after another in
/// listing order; fetching each small file on its own open costs one backend round trip per file. When a small
/// file is opened, the blobs of it and of the small files listed after it are requested as one batch, which the
/// fetcher coalesces into one range per pack (files backed up together sit next to each other in a pack). The
/// batch is refilled when the reader has used half of it. Once fetched, the other files of the batch go
/// straight into the kernel's page cache (<see cref="KernelStore"/>), so reading them costs no request at all.
/// </summary>
internal sealed class SiblingPrefetch(long smallFileBytes, long batchBytes, int batchFiles)
{
    private readonly ConcurrentDictionary<ulong, Progress> _directories = new();

    /// <summary>Where each file sits in the listing (built once, so an open costs no scan), and how far the batches reached.</summary>
    private sealed class Progress(Dictionary<MountNode, int> positions)
    {
        public Dictionary<MountNode, int> Positions { get; } = positions;

        public int FetchedUntil;
    }

    /// <param name="pageCache">Where the siblings' content is stored once fetched (null: they wait in the blob cache).</param>
    public void Opened(TreeFile file, IKernelPageCache? pageCache)
    {
        if (batchBytes <= 0 || file.Attributes.Size > smallFileBytes || file.Parent is not TreeDirectory directory)
            return;
        var listing = directory.ChildrenAsync(CancellationToken.None);
        if (!listing.IsCompletedSuccessfully)
            return;
        var children = listing.Result;
        var progress = _directories.GetOrAdd(directory.Inode, _ => new Progress(Positions(children)));
        if (!progress.Positions.TryGetValue(file, out var at))
            return;
        var until = Volatile.Read(ref progress.FetchedUntil);
        if (until - at > batchFiles / 2 || (until > at && until >= children.Count))
            return;
        var ids = new List<ObjectId>();
        var siblings = new List<(TreeFile File, int FirstBlob)>();
        long bytes = 0;
        var next = Math.Max(at, until);
        for (var files = 0; next < children.Count && files < batchFiles && bytes < batchBytes; next++)
        {
            if (children[next].Node is not TreeFile sibling || sibling.Attributes.Size > smallFileBytes)
                continue;
            files++;
            bytes += sibling.Attributes.Size;
            // The opened file is being read: its pages are locked by that read, a store would wait for it.
            if (!ReferenceEquals(sibling, file))
                siblings.Add((sibling, ids.Count));
            ids.AddRange(sibling.Node.Content);
        }
        Volatile.Write(ref progress.FetchedUntil, next);
        if (ids.Count == 0)
            return;
        var fetched = file.Context.Fetcher.Request(ids, forReader: false);
        if (pageCache != null && siblings.Count > 0)
            _ = KernelStore.WhenFetchedAsync(fetched, siblings, file.Context.Fetcher, pageCache);
    }

    private static Dictionary<MountNode, int> Positions(IReadOnlyList<NamedNode> children)
    {
        var positions = new Dictionary<MountNode, int>(children.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < children.Count; i++)
            positions.TryAdd(children[i].Node, i);
        return positions;
    }
}
