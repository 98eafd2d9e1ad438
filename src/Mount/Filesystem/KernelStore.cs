using StashMount.Mount.DataPath;
using StashMount.Mount.Fuse;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// Puts whole files fetched ahead into the kernel's page cache. Snapshot files never change and are opened with
/// keep_cache, so the kernel serves every later read of them itself. Once stored, a file's blobs leave the blob
/// cache (the page cache holds them, as after a read); a file the kernel does not know (not listed yet, or
/// forgotten) keeps its blobs for the read that will come.
/// </summary>
internal static class KernelStore
{
    /// <summary>Stores each file, in listing order, as soon as its own blobs are fetched (a reader walking the
    /// listing is right behind). <paramref name="fetched"/> holds the files' blobs in that order, from FirstBlob on.</summary>
    public static async Task WhenFetchedAsync(Task<BlobBuffer>[] fetched, IReadOnlyList<(TreeFile File, int FirstBlob)> files, BlobFetcher fetcher, IKernelPageCache pageCache)
    {
        foreach (var (file, first) in files)
        {
            var count = file.Node.Content.Count;
            try
            {
                for (var i = first; i < first + count && i < fetched.Length; i++)
                    await fetched[i].ConfigureAwait(false);
            }
            catch
            {
                continue; // a failed blob: that file's read reports it
            }
            Store(file, fetcher, pageCache);
        }
    }

    /// <summary>Stores the whole file, blob by blob at its offset; true when every blob was cached and stored.</summary>
    public static bool Store(TreeFile file, BlobFetcher fetcher, IKernelPageCache pageCache)
    {
        FileContentMap map;
        try
        {
            map = file.ContentMap();
        }
        catch (FuseException)
        {
            return false; // a blob unknown to the index: the read reports it
        }
        // Never let a store change the size the kernel was told.
        if (map.Length != file.Attributes.Size)
            return false;
        for (var i = 0; i < map.BlobCount; i++)
        {
            if (fetcher.Cache.TryGet(map.BlobAt(i)) is not { } blob)
                return false;
            try
            {
                if (!pageCache.Store(file.Inode, map.StartOf(i), blob.Data))
                    return false;
            }
            finally
            {
                blob.Release();
            }
        }
        for (var i = 0; i < map.BlobCount; i++)
            fetcher.Cache.Remove(map.BlobAt(i));
        return true;
    }
}
