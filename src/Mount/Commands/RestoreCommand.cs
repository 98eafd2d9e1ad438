using System.CommandLine;
using StashMount.Mount.Cli;
using StashMount.Mount.Restore;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Commands;

/// <summary>
/// <c>restore &lt;snapshot&gt; --target DIR [--include P] [--exclude P]</c>: writes the snapshot's files under DIR
/// with restic restore's layout and attributes. Exit 3 when some files failed (each named on stderr).
/// </summary>
public static class RestoreCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var filter = new SnapshotFilterOptions();
        var snapshotArgument = new Argument<string>("snapshot") { Description = "snapshot ID, unique prefix, or latest" };
        var target = new Option<string>("--target", "-t") { Description = "folder to restore into", Required = true };
        var includes = new Option<string[]>("--include", "-i") { Description = "restore only paths matching this pattern (repeatable)" };
        var excludes = new Option<string[]>("--exclude", "-e") { Description = "do not restore paths matching this pattern (repeatable)" };
        var command = new Command("restore", "Restore a snapshot into a folder") { snapshotArgument, target, includes, excludes };
        filter.AddTo(command);
        command.SetContextAction(globals, async (context, cancellationToken) =>
        {
            var repository = await context.OpenRepositoryAsync(loadIndex: false, cancellationToken).ConfigureAwait(false);
            // The snapshots are listed and read while the index loads: only the trees need the index.
            var index = repository.LoadIndexAsync(cancellationToken);
            Snapshot snapshot;
            try
            {
                snapshot = await SnapshotSelector.ResolveAsync(repository, context.Get(snapshotArgument)!, filter.Read(context), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await ((Task)index).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }
            await index.ConfigureAwait(false);
            var targetPath = Path.GetFullPath(context.Get(target)!);
            if (!context.Json)
            {
                context.Output.WriteLine($"restoring <Snapshot {snapshot.ShortId} of [{string.Join(' ', snapshot.Paths)}] at {GoTimeText.GoString(snapshot.TimeText)} by {snapshot.Username}@{snapshot.Hostname}> to {targetPath}");
                await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            var errors = new RestoreErrors(context.Error);
            RestoreSummary summary;
            using (var progress = new RestoreProgress(context.Error, context.Host.ErrorIsTerminal && !context.Json))
                summary = await SnapshotRestorer.RestoreAsync(repository, snapshot, targetPath, RestoreFilter.Create(context.Get(includes), context.Get(excludes)),
                    errors, progress, cancellationToken).ConfigureAwait(false);
            if (context.Json)
                context.Output.WriteLine($"{{\"message_type\":\"summary\",\"files_restored\":{summary.Files},\"bytes_restored\":{summary.Bytes},\"errors\":{summary.Errors}}}");
            if (summary.Errors > 0)
                throw new PartialFailureException($"There were {summary.Errors} errors");
            return ExitCodes.Success;
        });
        return command;
    }
}
