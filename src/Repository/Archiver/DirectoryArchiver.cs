using StashMount.Repository.Chunker;
using StashMount.Repository.Trees;
using StashMount.Repository.Writer;

namespace StashMount.Repository.Archiver;

/// <summary>
/// Archives the content of one local directory as a snapshot's root tree (no intermediate directories, as
/// restic does for the path "/"), for a staging area whose files were mostly read before: a file whose content
/// <c>knownContent</c> already has is not read again. Unlike <see cref="SnapshotArchiver"/>, an unreadable entry
/// fails the whole run, so a snapshot never silently misses a staged file.
/// </summary>
public sealed class DirectoryArchiver
{
    private readonly RepositoryWriter _writer;
    private readonly FileArchiver _files;

    public DirectoryArchiver(ResticRepository repository, RepositoryWriter writer)
    {
        _writer = writer;
        _files = new FileArchiver(new ContentDefinedChunker(repository.Config.ChunkerPolynomial), writer, directReads: false);
    }

    /// <summary>Files read (not found in <c>knownContent</c>) by <see cref="ArchiveContentsAsync"/>.</summary>
    public int FilesRead => _filesRead;
    private int _filesRead;

    /// <summary>lstat with nanosecond times, inode and device; throws <see cref="IOException"/>.</summary>
    public static FileStatus Stat(string path) => PosixFileSystem.LStat(path);

    /// <summary>Chunks one file and queues its new blobs; the data blob IDs in order and the bytes read.</summary>
    public Task<(List<ObjectId> Content, long Size)> ReadFileAsync(string path, long expectedSize, CancellationToken cancellationToken) =>
        _files.ArchiveAsync(path, expectedSize, cancellationToken);

    /// <summary>
    /// Saves a tree blob per directory below <paramref name="root"/> and returns the root's. <paramref name="knownContent"/>
    /// gives a file's content when it was ingested before and has not changed since (null: read it now).
    /// <paramref name="skip"/> leaves entries out (e.g. files still being written). Without
    /// <paramref name="extendedAttributes"/> no entry's xattrs are listed (the caller knows none were set).
    /// </summary>
    public async Task<ObjectId> ArchiveContentsAsync(string root, Func<string, FileStatus, IReadOnlyList<ObjectId>?> knownContent,
        Func<string, FileStatus, bool> skip, bool extendedAttributes, CancellationToken cancellationToken)
    {
        _filesRead = 0;
        return await SaveDirectoryAsync(root, new Walk(knownContent, skip, extendedAttributes), cancellationToken).ConfigureAwait(false);
    }

    private sealed record Walk(Func<string, FileStatus, IReadOnlyList<ObjectId>?> KnownContent, Func<string, FileStatus, bool> Skip, bool ExtendedAttributes);

    // Entries per worker below which a directory's entries are taken by fewer workers (one for a small directory).
    private const int EntriesPerWorker = 16;

    /// <summary>
    /// The entries of a directory are stat'ed, looked up and turned into nodes by one worker per core (mostly files
    /// whose content is known: the work is their syscalls and nodes), subdirectories included; the tree serializer
    /// sorts the nodes, so the order they finish in does not matter.
    /// </summary>
    private async Task<ObjectId> SaveDirectoryAsync(string path, Walk walk, CancellationToken cancellationToken)
    {
        var entries = Directory.EnumerateFileSystemEntries(path, "*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false }).ToArray();
        var nodes = new Node?[entries.Length];
        var workers = Math.Clamp(entries.Length / EntriesPerWorker, 1, Environment.ProcessorCount);
        if (workers == 1)
            await SaveEntriesAsync(entries, nodes, 0, 1, walk, cancellationToken).ConfigureAwait(false);
        else
            await Task.WhenAll(Enumerable.Range(0, workers).Select(first =>
                Task.Run(() => SaveEntriesAsync(entries, nodes, first, workers, walk, cancellationToken), cancellationToken))).ConfigureAwait(false);
        return await _writer.SaveTreeAsync(TreeSerializer.Serialize(nodes.OfType<Node>()), cancellationToken).ConfigureAwait(false);
    }

    // Every step-th entry from first: interleaved, so big files and subdirectories spread over the workers.
    private async Task SaveEntriesAsync(string[] entries, Node?[] nodes, int first, int step, Walk walk, CancellationToken cancellationToken)
    {
        for (var i = first; i < entries.Length; i += step)
            nodes[i] = await SaveEntryAsync(entries[i], walk, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Node?> SaveEntryAsync(string entryPath, Walk walk, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var name = Path.GetFileName(entryPath);
        var status = PosixFileSystem.LStat(entryPath);
        if (walk.Skip(entryPath, status))
            return null;
        if (status.IsDirectory)
        {
            var subtree = await SaveDirectoryAsync(entryPath, walk, cancellationToken).ConfigureAwait(false);
            return NodeFactory.Create(entryPath, name, status, subtree: subtree, extendedAttributes: walk.ExtendedAttributes);
        }
        if (status.IsRegular)
            return await SaveFileAsync(entryPath, name, status, walk, cancellationToken).ConfigureAwait(false);
        return NodeFactory.Create(entryPath, name, status, extendedAttributes: walk.ExtendedAttributes);
    }

    private async Task<Node> SaveFileAsync(string path, string name, FileStatus status, Walk walk, CancellationToken cancellationToken)
    {
        if (walk.KnownContent(path, status) is { } known && known.All(id => _writer.Has(id, BlobType.Data)))
            return NodeFactory.Create(path, name, status, known, extendedAttributes: walk.ExtendedAttributes);
        Interlocked.Increment(ref _filesRead);
        var (content, size) = await _files.ArchiveAsync(path, status.Size, cancellationToken).ConfigureAwait(false);
        if (size != status.Size)
            throw new IOException($"{path} changed while it was being committed");
        return NodeFactory.Create(path, name, status, content, size: (ulong)size, extendedAttributes: walk.ExtendedAttributes);
    }
}
