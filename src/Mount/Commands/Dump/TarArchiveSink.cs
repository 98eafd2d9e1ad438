using System.Formats.Tar;
using System.IO.Pipelines;
using System.Text;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Commands.Dump;

/// <summary>
/// Writes a POSIX (PAX) tar stream with System.Formats.Tar. Extended attributes go in SCHILY.xattr records as
/// GNU tar and restic write them; a value that is not UTF-8 text cannot be carried by the PAX API and is left out.
/// </summary>
internal sealed class TarArchiveSink(Stream output) : ArchiveSink
{
    private readonly TarWriter _writer = new(output, TarEntryFormat.Pax, leaveOpen: true);

    public override ValueTask AddDirectoryAsync(string path, Node node, CancellationToken cancellationToken) =>
        new(_writer.WriteEntryAsync(Entry(TarEntryType.Directory, path + "/", node), cancellationToken));

    public override async ValueTask AddFileAsync(string path, Node node, Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        // TarWriter takes the size from a seekable data stream; the content is produced into a pipe while the
        // writer copies it out, so a large file is never held in memory.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20));
        var producer = ProduceAsync(pipe.Writer, writeContent, cancellationToken);
        var entry = Entry(TarEntryType.RegularFile, path, node);
        await using var data = new KnownLengthReadStream(pipe.Reader.AsStream(), checked((long)node.Size));
        entry.DataStream = data;
        try
        {
            await _writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    private static async Task ProduceAsync(PipeWriter writer, Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Exception? failure = null;
        try
        {
            await writeContent(writer.AsStream(leaveOpen: true), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (cancellationToken.IsCancellationRequested)
        {
            failure = new OperationCanceledException(cancellationToken);
        }
        catch (Exception e)
        {
            failure = e;
        }
        await writer.CompleteAsync(failure).ConfigureAwait(false);
    }

    public override ValueTask AddSpecialAsync(string path, Node node, CancellationToken cancellationToken)
    {
        var type = node.Type switch
        {
            NodeType.Symlink => TarEntryType.SymbolicLink,
            NodeType.Fifo => TarEntryType.Fifo,
            NodeType.Dev => TarEntryType.BlockDevice,
            NodeType.CharDev => TarEntryType.CharacterDevice,
            _ => (TarEntryType?)null,
        };
        if (type is not { } entryType)
            return ValueTask.CompletedTask; // tar has no socket type; restic leaves sockets out too.
        var entry = Entry(entryType, path, node);
        if (node.Type == NodeType.Symlink)
            entry.LinkName = node.LinkTarget ?? "";
        if (node.Type is NodeType.Dev or NodeType.CharDev && entry is PosixTarEntry posix)
        {
            posix.DeviceMajor = (int)DeviceNumbers.Major(node.Device);
            posix.DeviceMinor = (int)DeviceNumbers.Minor(node.Device);
        }
        return new(_writer.WriteEntryAsync(entry, cancellationToken));
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, Node node)
    {
        var records = new Dictionary<string, string>();
        foreach (var attribute in node.ExtendedAttributes)
        {
            if (TryUtf8(attribute.Value, out var text))
                records["SCHILY.xattr." + attribute.Name] = text;
        }
        var entry = new PaxTarEntry(type, name, records)
        {
            Mode = (UnixFileMode)(node.PosixMode & 0xFFF),
            Uid = checked((int)node.Uid),
            Gid = checked((int)node.Gid),
            UserName = node.User ?? "",
            GroupName = node.Group ?? "",
            ModificationTime = node.ModTime.ToDateTimeOffset(),
        };
        return entry;
    }

    private static bool TryUtf8(byte[] value, out string text)
    {
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    public override async ValueTask DisposeAsync() => await _writer.DisposeAsync().ConfigureAwait(false);
}
