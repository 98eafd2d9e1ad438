using System.CommandLine;
using StashMount.Mount.Cli;
using StashMount.Mount.Writable;
using StashMount.Repository;

namespace StashMount.Mount.Commands;

/// <summary>
/// mount's --write, --spool-dir and --commit-after. The new snapshots take their host and tags from mount's
/// --host (the first; default this machine's name) and --tag, so they match the listing's filter and show up in it.
/// </summary>
internal sealed class WritableMountOptions
{
    private readonly Option<bool> _write = new("--write") { Description = "add a writable new/ folder whose content is committed as a new snapshot" };
    private readonly Option<string?> _spoolDirectory = new("--spool-dir") { Description = "where new/ is staged (default: $XDG_CACHE_HOME/stashmount/spool/<repository id>)" };
    private readonly Option<string> _commitAfter = new("--commit-after") { Description = "commit once new/ has been idle this long (e.g. 30s, 5m, 1h)", DefaultValueFactory = _ => "30s" };

    public void AddTo(Command command)
    {
        command.Add(_write);
        command.Add(_spoolDirectory);
        command.Add(_commitAfter);
    }

    /// <summary>For mounts that have no single repository to write to: throws when --write was given.</summary>
    public void RefuseWith(CommandContext context, string option)
    {
        if (context.Get(_write))
            throw new UsageException($"--write cannot be combined with {option}");
    }

    /// <summary>Opens the spool when --write was given (finishing what a killed predecessor left), else null.</summary>
    public async Task<WritableMountSession?> OpenAsync(CommandContext context, SnapshotFilterOptions filter, ResticRepository repository, Action<string> log,
        CancellationToken cancellationToken)
    {
        if (!context.Get(_write))
        {
            if (context.Get(_spoolDirectory) != null)
                throw new UsageException("--spool-dir needs --write");
            return null;
        }
        var commitAfter = DurationText.Parse(context.Get(_commitAfter));
        if (commitAfter <= TimeSpan.Zero)
            throw new UsageException("--commit-after must be a positive duration such as 30s, 5m or 1h");
        var options = new WriteSpoolOptions
        {
            SpoolDirectory = context.Get(_spoolDirectory) ?? SpoolDirectory.DefaultPath(repository.Config.Id, context.Environment.Get),
            Hostname = context.Get(filter.Hosts) is [var host, ..] ? host : Environment.MachineName,
            Tags = [.. (context.Get(filter.Tags) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct()],
            CommitAfter = commitAfter,
            NoLock = context.NoLock,
            Log = log,
        };
        return await WritableMountSession.OpenAsync(repository, options, cancellationToken).ConfigureAwait(false);
    }
}
