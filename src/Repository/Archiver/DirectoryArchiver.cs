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
    public int FilesRead { get; private set; }

    /// <summary>lstat with nanosecond times, inode and device; throws <see cref="IOException"/>.</summary>
    public static FileStatus Stat(string path) => PosixFileSystem.LStat(path);

    /// <summary>Chunks one file and queues its new blobs; the data blob IDs in order and the bytes read.</summary>
    public Task<(List<ObjectId> Content, long Size)> ReadFileAsync(string path, long expectedSize, CancellationToken cancellationToken) =>
        _files.ArchiveAsync(path, expectedSize, cancellationToken);

    /// <summary>
    /// Saves a tree blob per directory below <paramref name="root"/> and returns the root's. <paramref name="knownContent"/>
    /// gives a file's content when it was ingested before and has not changed since (null: read it now).
    /// <paramref name="skip"/> leaves entries out (e.g. files still being written).
    /// </summary>
    public async Task<ObjectId> ArchiveContentsAsync(string root, Func<string, FileStatus, IReadOnlyList<ObjectId>?> knownContent,
        Func<string, FileStatus, bool> skip, CancellationToken cancellationToken)
    {
        FilesRead = 0;
        return await SaveDirectoryAsync(root, knownContent, skip, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ObjectId> SaveDirectoryAsync(string path, Func<string, FileStatus, IReadOnlyList<ObjectId>?> knownContent,
        Func<string, FileStatus, bool> skip, CancellationToken cancellationToken)
    {
        var nodes = new List<Node>();
        foreach (var entryPath in Directory.EnumerateFileSystemEntries(path, "*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(entryPath);
            var status = PosixFileSystem.LStat(entryPath);
            if (skip(entryPath, status))
                continue;
            if (status.IsDirectory)
            {
                var subtree = await SaveDirectoryAsync(entryPath, knownContent, skip, cancellationToken).ConfigureAwait(false);
                nodes.Add(NodeFactory.Create(entryPath, name, status, subtree: subtree));
            }
            else if (status.IsRegular)
            {
                nodes.Add(await SaveFileAsync(entryPath, name, status, knownContent, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                nodes.Add(NodeFactory.Create(entryPath, name, status));
            }
        }
        return await _writer.SaveTreeAsync(TreeSerializer.Serialize(nodes), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Node> SaveFileAsync(string path, string name, FileStatus status, Func<string, FileStatus, IReadOnlyList<ObjectId>?> knownContent,
        CancellationToken cancellationToken)
    {
        if (knownContent(path, status) is { } known && known.All(id => _writer.Has(id, BlobType.Data)))
            return NodeFactory.Create(path, name, status, known);
        FilesRead++;
        var (content, size) = await _files.ArchiveAsync(path, status.Size, cancellationToken).ConfigureAwait(false);
        if (size != status.Size)
            throw new IOException($"{path} changed while it was being committed");
        return NodeFactory.Create(path, name, status, content, size: (ulong)size);
    }
}
