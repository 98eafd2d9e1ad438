using System.CommandLine;
using System.Text.Json;
using StashMount.Mount.Cli;
using StashMount.Mount.Restore;
using StashMount.Repository.Snapshots;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Commands;

/// <summary>
/// <c>ls &lt;snapshot&gt; [dir...] [-l] [--recursive] [--json]</c>: lists a snapshot's files like restic ls. With
/// dirs, only those paths and their direct children (or everything below them with --recursive).
/// </summary>
public static class LsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var filter = new SnapshotFilterOptions();
        var snapshotArgument = new Argument<string>("snapshot") { Description = "snapshot ID, unique prefix, or latest" };
        var dirs = new Argument<string[]>("dir") { Description = "only these paths inside the snapshot", Arity = ArgumentArity.ZeroOrMore };
        var longFormat = new Option<bool>("--long", "-l") { Description = "show mode, owner, size and time" };
        var recursive = new Option<bool>("--recursive") { Description = "with dirs: list everything below them" };
        var command = new Command("ls", "List files in a snapshot") { snapshotArgument, dirs, longFormat, recursive };
        filter.AddTo(command);
        command.SetContextAction(globals, async (context, cancellationToken) =>
        {
            var repository = await context.OpenRepositoryAsync(loadIndex: true, cancellationToken).ConfigureAwait(false);
            var snapshot = await SnapshotSelector.ResolveAsync(repository, context.Get(snapshotArgument)!, filter.Read(context), cancellationToken).ConfigureAwait(false);
            var wanted = (context.Get(dirs) ?? []).Select(CleanPath).ToList();
            var printer = context.Json ? (INodePrinter)new JsonNodePrinter(context) : new TextNodePrinter(context.Output, context.Get(longFormat));
            printer.Header(snapshot, context.Get(dirs) ?? []);
            var selector = new LsSelection(wanted, context.Get(recursive));
            await TreeWalker.WalkAsync(repository, snapshot.Tree, "/", (path, node) =>
            {
                if (selector.Prints(path))
                    printer.Node(path, node);
                return ValueTask.FromResult(selector.Descends(path) ? TreeWalker.Step.Descend : TreeWalker.Step.Skip);
            }, null, cancellationToken).ConfigureAwait(false);
            printer.Flush();
            return ExitCodes.Success;
        });
        return command;
    }

    private static string CleanPath(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join('/', parts);
    }

    private interface INodePrinter
    {
        void Header(Snapshot snapshot, IReadOnlyList<string> dirs);
        void Node(string path, Node node);
        void Flush();
    }

    private sealed class TextNodePrinter(TextWriter output, bool longFormat) : INodePrinter
    {
        public void Header(Snapshot snapshot, IReadOnlyList<string> dirs) =>
            output.WriteLine($"snapshot {snapshot.ShortId} of [{string.Join(' ', snapshot.Paths)}] filtered by [{string.Join(' ', dirs)}] at {GoTimeText.GoString(snapshot.TimeText)}):");

        public void Node(string path, Node node)
        {
            if (!longFormat)
            {
                output.WriteLine(path);
                return;
            }
            var target = node.Type == NodeType.Symlink ? " -> " + node.LinkTarget : "";
            output.WriteLine($"{FileModeText.ToText(node.Mode)} {node.Uid,5} {node.Gid,5} {node.Size,6} {GoTimeText.LocalSeconds(node.ModTime)} {path}{target}");
        }

        public void Flush() => output.Flush();
    }

    private sealed class JsonNodePrinter(CommandContext context) : INodePrinter
    {
        private readonly Stream _stream = context.BinaryOutput;

        public void Header(Snapshot snapshot, IReadOnlyList<string> dirs)
        {
            using (var writer = JsonOutput.CreateWriter(_stream))
                SnapshotJson.Write(writer, snapshot, "snapshot");
            _stream.Write("\n"u8);
        }

        public void Node(string path, Node node)
        {
            using (var writer = JsonOutput.CreateWriter(_stream))
                Write(writer, path, node);
            _stream.Write("\n"u8);
        }

        public void Flush() => _stream.Flush();

        private static void Write(Utf8JsonWriter writer, string path, Node node)
        {
            writer.WriteStartObject();
            writer.WriteString("name", node.Name);
            writer.WriteString("type", NodeTypeNames.ToName(node.Type));
            writer.WriteString("path", path);
            writer.WriteNumber("uid", node.Uid);
            writer.WriteNumber("gid", node.Gid);
            if (node.Type == NodeType.File)
                writer.WriteNumber("size", node.Size);
            writer.WriteNumber("mode", node.Mode);
            writer.WriteString("permissions", FileModeText.ToText(node.Mode));
            writer.WriteString("mtime", node.ModTime.ToString());
            writer.WriteString("atime", node.AccessTime.ToString());
            writer.WriteString("ctime", node.ChangeTime.ToString());
            writer.WriteString("struct_type", "node");
            writer.WriteEndObject();
        }
    }
}
