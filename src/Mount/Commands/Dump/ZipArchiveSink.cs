using System.IO.Compression;
using System.Text;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Commands.Dump;

/// <summary>
/// Writes a zip archive with System.IO.Compression. Unix modes go in the external attributes (high 16 bits) as
/// Info-ZIP does, so unzip restores permissions and symlinks; a symlink's entry holds its target.
/// </summary>
internal sealed class ZipArchiveSink(Stream output) : ArchiveSink
{
    private readonly ZipArchive _archive = new(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);

    public override async ValueTask AddDirectoryAsync(string path, Node node, CancellationToken cancellationToken)
    {
        var entry = Entry(path + "/", node, CompressionLevel.NoCompression);
        await using var _ = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask AddFileAsync(string path, Node node, Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        var entry = Entry(path, node, CompressionLevel.Fastest);
        await using var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await writeContent(stream, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask AddSpecialAsync(string path, Node node, CancellationToken cancellationToken)
    {
        if (node.Type != NodeType.Symlink)
            return; // zip cannot hold fifos, devices or sockets
        var entry = Entry(path, node, CompressionLevel.NoCompression);
        await using var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(node.GetLinkTargetBytes(), cancellationToken).ConfigureAwait(false);
    }

    private ZipArchiveEntry Entry(string name, Node node, CompressionLevel level)
    {
        var entry = _archive.CreateEntry(name, level);
        entry.ExternalAttributes = (int)(node.PosixMode << 16);
        var time = node.ModTime.ToDateTimeOffset();
        // Zip's DOS time cannot go before 1980.
        entry.LastWriteTime = time.Year < 1980 ? new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero) : time;
        return entry;
    }

    public override async ValueTask DisposeAsync() => await _archive.DisposeAsync().ConfigureAwait(false);
}
