using System.CommandLine;
using System.Reflection;

namespace StashMount.Mount.Cli;

/// <summary>
/// Builds the command tree and runs it. Every type in <c>StashMount.Mount.Commands</c> with a
/// <c>public static Command Create(GlobalOptions)</c> is a subcommand, so adding a command is adding one file.
/// </summary>
public static class StashMountCommand
{
    private const string CommandsNamespace = "StashMount.Mount.Commands";

    public static RootCommand Build(GlobalOptions globals)
    {
        var root = new RootCommand("stashmount: mount, read and write restic, Stash and KubeStash repositories");
        globals.AddTo(root);
        foreach (var command in DiscoverCommands(globals).OrderBy(c => c.Name, StringComparer.Ordinal))
            root.Add(command);
        return root;
    }

    public static Task<int> RunAsync(string[] args) => RunAsync(args, CliHost.FromProcess(), CancellationToken.None);

    /// <summary>Runs one command line against <paramref name="host"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        var globals = new GlobalOptions(host);
        var root = Build(globals);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // One line, as for every other error; the full help is one --help away.
            host.StandardError.WriteLine($"Fatal: {parseResult.Errors[0].Message} (see 'stashmount --help')");
            host.StandardError.Flush();
            return ExitCodes.Failure;
        }
        var configuration = new InvocationConfiguration
        {
            Output = new StreamWriter(host.StandardOutput, leaveOpen: true) { AutoFlush = true },
            Error = host.StandardError,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, host.StandardError, parseResult.GetValue(globals.Debug));
        }
    }

    private static IEnumerable<Command> DiscoverCommands(GlobalOptions globals)
    {
        foreach (var type in typeof(StashMountCommand).Assembly.GetTypes())
        {
            if (type.Namespace != CommandsNamespace || !type.IsClass)
                continue;
            var create = type.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, [typeof(GlobalOptions)]);
            if (create?.ReturnType == typeof(Command) && create.Invoke(null, [globals]) is Command command)
                yield return command;
        }
    }
}
