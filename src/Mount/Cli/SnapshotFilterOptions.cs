using System.CommandLine;

namespace StashMount.Mount.Cli;

/// <summary>The --host/--tag/--path options a command uses to filter snapshots (and to pick "latest").</summary>
public sealed class SnapshotFilterOptions
{
    public Option<string[]> Hosts { get; } = new("--host", "-H") { Description = "only snapshots of this host (repeatable)" };

    public Option<string[]> Tags { get; } = new("--tag") { Description = "only snapshots with these tags: \"a,b\" needs both (repeatable: any group)" };

    public Option<string[]> Paths { get; } = new("--path") { Description = "only snapshots that include this path (repeatable: all of them)" };

    public void AddTo(Command command)
    {
        command.Add(Hosts);
        command.Add(Tags);
        command.Add(Paths);
    }

    public SnapshotFilter Read(CommandContext context) =>
        SnapshotFilter.Create(context.Get(Hosts), context.Get(Tags), context.Get(Paths));
}
