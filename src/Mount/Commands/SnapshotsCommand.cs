using System.CommandLine;
using StashMount.Mount.Cli;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Commands;

/// <summary><c>snapshots [--host H] [--tag T] [--path P] [--latest N] [--json]</c>: lists snapshots like restic.</summary>
public static class SnapshotsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var filter = new SnapshotFilterOptions();
        var latest = new Option<int>("--latest") { Description = "only the last N snapshots of each host and path set" };
        var command = new Command("snapshots", "List snapshots");
        filter.AddTo(command);
        command.Add(latest);
        command.SetContextAction(globals, async (context, cancellationToken) =>
        {
            var repository = await context.OpenRepositoryAsync(loadIndex: false, cancellationToken).ConfigureAwait(false);
            var all = await repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false);
            var selection = Select(all, filter.Read(context), context.Get(latest));
            if (context.Json)
                await WriteJsonAsync(context, selection, cancellationToken).ConfigureAwait(false);
            else
                SnapshotTable.Write(context.Output, selection);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static List<Snapshot> Select(IReadOnlyList<Snapshot> all, SnapshotFilter filter, int latest)
    {
        var matching = all.Where(filter.Matches).OrderBy(s => s.Time).ThenBy(s => s.Id).ToList();
        if (latest <= 0)
            return matching;
        // Keep the newest N of each group of (host, paths), in time order.
        return matching
            .GroupBy(s => s.Hostname + "\0" + string.Join("\0", s.Paths.Order(StringComparer.Ordinal)))
            .SelectMany(g => g.TakeLast(latest))
            .OrderBy(s => s.Time).ThenBy(s => s.Id)
            .ToList();
    }

    private static async Task WriteJsonAsync(CommandContext context, List<Snapshot> snapshots, CancellationToken cancellationToken)
    {
        var stream = context.BinaryOutput;
        await using (var writer = JsonOutput.CreateWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var snapshot in snapshots)
                SnapshotJson.Write(writer, snapshot);
            writer.WriteEndArray();
        }
        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
