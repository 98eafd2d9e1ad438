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

    /// <summary>Directories fetched ahead of the one being read: one was not always enough for a cold disk (the
    /// walker then asked for the next directory's first file before its batch had arrived).</summary>
    private const int DirectoriesAhead = 2;

    /// <summary>Where each file sits in the listing (built once, so an open costs no scan), how far the batches
    /// reached, and a batch fetched at listing time whose files wait to be stored.</summary>
    private sealed class Progress(Dictionary<MountNode, int> positions)
    {
        public Dictionary<MountNode, int> Positions { get; } = positions;

        public int FetchedUntil;

        public Batch? Deferred;
    }

    private sealed record Batch(Task<BlobBuffer>[] Fetched, List<(TreeFile File, int FirstBlob)> Files, BlobFetcher Fetcher);

    /// <summary>Directories whose subdirectories have files being read: a tree walker (tar, cp -r) reads the
    /// next subdirectory's files right after listing it.</summary>
    private readonly ConcurrentDictionary<ulong, byte> _walked = new();

    /// <param name="pageCache">Where the siblings' content is stored once fetched (null: they wait in the blob cache).</param>
    public void Opened(TreeFile file, IKernelPageCache? pageCache)
    {
        if (batchBytes <= 0 || file.Attributes.Size > smallFileBytes || file.Parent is not TreeDirectory directory)
            return;
        if (directory.Parent is TreeDirectory parent)
        {
            _walked.TryAdd(parent.Inode, 0);
            if (pageCache != null)
                _ = FetchNextDirectoryAsync(parent, directory, pageCache);
        }
        if (Listing(directory) is not { } children)
            return;
        var progress = ProgressOf(directory, children);
        // The kernel knows the listed files by now (it is reading one): the batch fetched at listing goes in.
        if (pageCache != null)
            StoreDeferred(progress, pageCache, except: file);
        if (progress.Positions.TryGetValue(file, out var at))
            Fetch(children, progress, at, file, pageCache, deferStores: false);
    }

    /// <summary>
    /// A directory is being listed. When files of its sibling directories were read, a walker is on its way in:
    /// its first small files are fetched now, and stored at the first read (the kernel learns the inodes only
    /// from the listing being answered). A listing alone, as find does, fetches nothing.
    /// </summary>
    public void Listed(TreeDirectory directory, IKernelPageCache? pageCache)
    {
        if (batchBytes <= 0 || pageCache is null || directory.Parent is not TreeDirectory parent || !_walked.ContainsKey(parent.Inode))
            return;
        if (Listing(directory) is { } children)
            Fetch(children, ProgressOf(directory, children), 0, opened: null, pageCache, deferStores: true);
        // Its files may all be in the page cache by the time the walker reads them (no read, no Opened): the
        // walk goes on, so the directories after it are fetched from here too.
        _ = FetchNextDirectoryAsync(parent, directory, pageCache);
    }

    /// <summary>
    /// The whole listing of <paramref name="directory"/> reached the kernel (a readdir asked past its end), so it
    /// knows the listed files: the batch fetched ahead goes into the page cache now, before the walker reads the
    /// first of them (else that first read is one request per directory).
    /// </summary>
    public void Delivered(TreeDirectory directory, IKernelPageCache pageCache)
    {
        if (_directories.TryGetValue(directory.Inode, out var progress))
            StoreDeferred(progress, pageCache, except: null);
    }

    private static void StoreDeferred(Progress progress, IKernelPageCache pageCache, TreeFile? except)
    {
        if (Interlocked.Exchange(ref progress.Deferred, null) is not { } deferred)
            return;
        var files = except is null ? deferred.Files : deferred.Files.FindAll(f => !ReferenceEquals(f.File, except));
        _ = KernelStore.WhenFetchedAsync(deferred.Fetched, files, deferred.Fetcher, pageCache);
    }

    /// <summary>
    /// A walker reading <paramref name="directory"/> goes on to the next directories of <paramref name="parent"/>'s
    /// listing: their trees and first small files are fetched now (stored at its first read), so the walker does
    /// not wait for the backend (a cold disk) at each directory.
    /// </summary>
    private async Task FetchNextDirectoryAsync(TreeDirectory parent, TreeDirectory directory, IKernelPageCache pageCache)
    {
        if (Listing(parent) is not { } siblings || !ProgressOf(parent, siblings).Positions.TryGetValue(directory, out var at))
            return;
        try
        {
            foreach (var next in siblings.Skip(at + 1).Select(s => s.Node).OfType<TreeDirectory>().Take(DirectoriesAhead))
            {
                if (_directories.ContainsKey(next.Inode))
                    continue;
                var children = await next.ChildrenAsync(CancellationToken.None).ConfigureAwait(false);
                Fetch(children, ProgressOf(next, children), 0, opened: null, pageCache, deferStores: true);
            }
        }
        catch (Exception e) when (e is RepositoryException or Backends.BackendException or TimeoutException or IOException)
        {
            // Only a prefetch: the walker's own listing reports the failure.
        }
    }

    private static IReadOnlyList<NamedNode>? Listing(TreeDirectory directory)
    {
        var listing = directory.ChildrenAsync(CancellationToken.None);
        return listing.IsCompletedSuccessfully ? listing.Result : null;
    }

    private Progress ProgressOf(TreeDirectory directory, IReadOnlyList<NamedNode> children) =>
        _directories.GetOrAdd(directory.Inode, _ => new Progress(Positions(children)));

    /// <summary>Fetches the batch of small files from position <paramref name="at"/> unless an earlier batch still
    /// covers half of one ahead; stores all of them but <paramref name="opened"/> (being read: its pages are locked
    /// by that read, a store would wait for it) in the page cache, now or at the first read.</summary>
    private void Fetch(IReadOnlyList<NamedNode> children, Progress progress, int at, TreeFile? opened, IKernelPageCache? pageCache, bool deferStores)
    {
        var until = Volatile.Read(ref progress.FetchedUntil);
        if (until - at > batchFiles / 2 || (until > at && until >= children.Count))
            return;
        var ids = new List<ObjectId>();
        var siblings = new List<(TreeFile File, int FirstBlob)>();
        BlobFetcher? fetcher = null;
        long bytes = 0;
        var next = Math.Max(at, until);
        for (var files = 0; next < children.Count && files < batchFiles && bytes < batchBytes; next++)
        {
            if (children[next].Node is not TreeFile sibling || sibling.Attributes.Size > smallFileBytes)
                continue;
            files++;
            bytes += sibling.Attributes.Size;
            fetcher ??= sibling.Context.Fetcher;
            if (!ReferenceEquals(sibling, opened))
                siblings.Add((sibling, ids.Count));
            ids.AddRange(sibling.Node.Content);
        }
        Volatile.Write(ref progress.FetchedUntil, next);
        if (fetcher is null || ids.Count == 0)
            return;
        var fetched = fetcher.Request(ids, forReader: false);
        if (pageCache is null || siblings.Count == 0)
            return;
        if (deferStores)
            Volatile.Write(ref progress.Deferred, new Batch(fetched, siblings, fetcher));
        else
            _ = KernelStore.WhenFetchedAsync(fetched, siblings, fetcher, pageCache);
    }

    private static Dictionary<MountNode, int> Positions(IReadOnlyList<NamedNode> children)
    {
        var positions = new Dictionary<MountNode, int>(children.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < children.Count; i++)
            positions.TryAdd(children[i].Node, i);
        return positions;
    }
}
