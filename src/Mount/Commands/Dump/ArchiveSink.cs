using StashMount.Repository.Trees;

namespace StashMount.Mount.Commands.Dump;

/// <summary>
/// Where <c>dump</c> writes a directory: one archive format. Entries arrive depth first, each parent before
/// its children; <paramref name="path"/> is the node's path inside the snapshot without the leading '/', as
/// restic names its archive entries.
/// </summary>
internal abstract class ArchiveSink : IAsyncDisposable
{
    public abstract ValueTask AddDirectoryAsync(string path, Node node, CancellationToken cancellationToken);

    /// <summary>Adds a regular file; <paramref name="writeContent"/> writes exactly <c>node.Size</c> bytes to the stream it is given.</summary>
    public abstract ValueTask AddFileAsync(string path, Node node, Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken);

    /// <summary>Adds a symlink, fifo, device or socket.</summary>
    public abstract ValueTask AddSpecialAsync(string path, Node node, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
