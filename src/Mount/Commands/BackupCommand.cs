using System.CommandLine;
using StashMount.Mount.Cli;
using StashMount.Repository.Archiver;
using StashMount.Repository.Compression;
using StashMount.Repository.Writer;

namespace StashMount.Mount.Commands;

/// <summary>
/// <c>backup paths... [--host H] [--tag T] [--parent ID] [--exclude P] [--compression C] [--pack-size MiB]</c>:
/// a new snapshot that restic reads as its own. Unreadable entries are reported and skipped (exit 3).
/// </summary>
public static class BackupCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var paths = new Argument<string[]>("paths") { Description = "files and directories to back up", Arity = ArgumentArity.OneOrMore };
        var host = new Option<string?>("--host", "-H") { Description = "hostname for the snapshot (default: this machine's)" };
        var tags = new Option<string[]>("--tag") { Description = "tag the snapshot (repeatable; commas separate tags)" };
        var parent = new Option<string?>("--parent") { Description = "parent snapshot (default: latest of the same host and paths)" };
        var excludes = new Option<string[]>("--exclude", "-e") { Description = "leave out entries matching a pattern (repeatable)" };
        var compression = new Option<string>("--compression") { Description = "auto, off or max (v2 repositories)", DefaultValueFactory = _ => "auto" };
        var packSize = new Option<int?>("--pack-size") { Description = "target pack size in MiB, 4–128 (default: $RESTIC_PACK_SIZE or 16)" };
        var retryLock = new Option<string?>("--retry-lock") { Description = "wait this long for a conflicting lock (e.g. 30s, 5m)" };
        var force = new Option<bool>("--force", "-f") { Description = "read every file, ignoring the parent snapshot" };
        var command = new Command("backup", "Create a new snapshot of files and directories")
        {
            paths, host, tags, parent, excludes, compression, packSize, retryLock, force,
        };
        command.SetContextAction(globals, async (context, cancellationToken) =>
        {
            var request = new BackupRequest
            {
                Paths = context.Get(paths) ?? [],
                Hostname = context.Get(host) ?? Environment.MachineName,
                Tags = (context.Get(tags) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                Excludes = context.Get(excludes) ?? [],
                Parent = context.Get(parent),
                Force = context.Get(force),
                Writer = new WriterOptions
                {
                    Compression = ParseCompression(context.Get(compression) ?? context.Environment.Get("RESTIC_COMPRESSION") ?? "auto"),
                    PackSizeMiB = PackSize(context.Get(packSize), context),
                },
                RetryLock = DurationText.Parse(context.Get(retryLock)),
            };
            var repository = await context.OpenRepositoryAsync(loadIndex: false, cancellationToken).ConfigureAwait(false);
            var errors = 0;
            var result = await BackupOperation.RunAsync(repository, request, message =>
            {
                Interlocked.Increment(ref errors);
                lock (context.Error)
                    context.Error.WriteLine($"error: {message}");
            }, cancellationToken).ConfigureAwait(false);
            if (context.Json)
                await BackupSummary.WriteJsonAsync(context, result, cancellationToken).ConfigureAwait(false);
            else
                BackupSummary.WriteText(context.Output, result);
            if (result.Files.Errors > 0 || errors > 0)
                throw new PartialFailureException("at least one source file could not be read");
            return ExitCodes.Success;
        });
        return command;
    }

    private static ResticCompression ParseCompression(string text) => text.ToLowerInvariant() switch
    {
        "auto" => ResticCompression.Auto,
        "off" => ResticCompression.Off,
        "max" => ResticCompression.Max,
        _ => throw new UsageException($"invalid compression mode {text}: use auto, off or max"),
    };

    private static int PackSize(int? option, CommandContext context)
    {
        var text = context.Environment.Get("RESTIC_PACK_SIZE");
        var size = option ?? (text != null && int.TryParse(text, out var fromEnvironment) ? fromEnvironment : WriterOptions.DefaultPackSizeMiB);
        if (size is < WriterOptions.MinPackSizeMiB or > WriterOptions.MaxPackSizeMiB)
            throw new UsageException($"pack size {size} MiB is outside {WriterOptions.MinPackSizeMiB}–{WriterOptions.MaxPackSizeMiB} MiB");
        return size;
    }
}
