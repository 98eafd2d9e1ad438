using System.CommandLine;

namespace StashMount.Mount.Cli;

/// <summary>Builds the command tree and runs it.</summary>
public static class StashMountCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("stashmount: mount, read and write restic, Stash and KubeStash repositories");
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
