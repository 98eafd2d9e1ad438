using System.Buffers;
using System.CommandLine;
using StashMount.Mount.Cli;
using StashMount.Mount.Commands.Dump;
using StashMount.Mount.Restore;
using StashMount.Repository;
using StashMount.Repository.Index;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Commands;

/// <summary>
/// <c>dump &lt;snapshot&gt; &lt;path&gt;</c>: writes one file's bytes to stdout, or a directory as a tar or zip archive
/// (<c>--archive</c>, as restic). Adjacent blobs of a pack are fetched with one ranged read, and a few reads run
/// ahead of the writer so the backend stays busy.
/// </summary>
public static class DumpCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var filter = new SnapshotFilterOptions();
        var snapshotArgument = new Argument<string>("snapshot") { Description = "snapshot ID, unique prefix, or latest" };
        var fileArgument = new Argument<string>("file") { Description = "path of the file or directory inside the snapshot" };
        var archive = new Option<string>("--archive") { Description = "archive format for a directory: tar or zip", DefaultValueFactory = _ => "tar" };
        archive.AcceptOnlyFromAmong("tar", "zip");
        var command = new Command("dump", "Print a file of a snapshot to stdout, or a directory as an archive") { snapshotArgument, fileArgument, archive };
        filter.AddTo(command);
        command.SetContextAction(globals, async (context, cancellationToken) =>
        {
            var repository = await context.OpenRepositoryAsync(loadIndex: true, cancellationToken).ConfigureAwait(false);
            var snapshot = await SnapshotSelector.ResolveAsync(repository, context.Get(snapshotArgument)!, filter.Read(context), cancellationToken).ConfigureAwait(false);
            var path = context.Get(fileArgument)!;
            var isRoot = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Length == 0;
            var node = isRoot ? null : await TreeWalker.FindAsync(repository, snapshot.Tree, path, cancellationToken).ConfigureAwait(false);
            if (!isRoot && node is null)
                throw new UsageException($"cannot dump file: path \"{path}\" not found in snapshot");
            if (isRoot || node!.Type == NodeType.Dir)
            {
                var tree = isRoot ? snapshot.Tree : node!.Subtree ?? throw new IntegrityException($"directory \"{path}\" has no subtree");
                await using (ArchiveSink sink = context.Get(archive) == "zip" ? new ZipArchiveSink(context.BinaryOutput) : new TarArchiveSink(context.BinaryOutput))
                    await DirectoryDumper.DumpAsync(repository, tree, isRoot ? "/" : "/" + path.Trim('/'), sink, cancellationToken).ConfigureAwait(false);
                await context.BinaryOutput.FlushAsync(cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            if (node.Type != NodeType.File)
                throw new UsageException($"cannot dump \"{path}\": it is a {NodeTypeNames.ToName(node.Type)}, not a file or directory");
            await WriteContentAsync(repository, node.Content, context.BinaryOutput, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    public static async Task WriteContentAsync(ResticRepository repository, IReadOnlyList<ObjectId> content, Stream output, CancellationToken cancellationToken)
    {
        var runs = Runs(repository, content);
        var ahead = Math.Max(2, repository.Backend.Connections);
        var pending = new Queue<Task<(byte[] Buffer, int Length)>>();
        var next = 0;
        while (next < runs.Count || pending.Count > 0)
        {
            while (next < runs.Count && pending.Count < ahead)
                pending.Enqueue(ReadRunAsync(repository, runs[next++], cancellationToken));
            var (buffer, length) = await pending.Dequeue().ConfigureAwait(false);
            try
            {
                await output.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cuts the file's blobs, in file order, into runs stored back to back in one pack.</summary>
    private static List<PackRange> Runs(ResticRepository repository, IReadOnlyList<ObjectId> content)
    {
        var runs = new List<PackRange>();
        var run = new List<PackedBlob>();
        foreach (var id in content)
        {
            if (!repository.Index.TryGet(id, BlobType.Data, out var blob))
                throw new BlobNotFoundException(id, BlobType.Data);
            if (run.Count > 0 && (blob.PackId != run[^1].PackId || blob.Offset != run[^1].Offset + run[^1].Length))
            {
                runs.Add(new PackRange(run[0].PackId, run));
                run = [];
            }
            run.Add(blob);
        }
        if (run.Count > 0)
            runs.Add(new PackRange(run[0].PackId, run));
        return runs;
    }

    private static async Task<(byte[] Buffer, int Length)> ReadRunAsync(ResticRepository repository, PackRange run, CancellationToken cancellationToken)
    {
        var total = run.Blobs.Sum(b => (long)b.PlaintextLength);
        var buffer = ArrayPool<byte>.Shared.Rent(checked((int)total));
        try
        {
            var position = 0;
            await PackRangeReader.ReadAsync(repository, run, (blob, plaintext) =>
            {
                plaintext.Span.CopyTo(buffer.AsSpan(position));
                position += plaintext.Length;
                return ValueTask.CompletedTask;
            }, (blob, error) => throw new IntegrityException($"cannot read blob {blob.Id.ToShortString()} of pack {blob.PackId}: {error.Message}", error),
            cancellationToken).ConfigureAwait(false);
            return (buffer, position);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
