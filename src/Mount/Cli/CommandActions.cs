using System.CommandLine;

namespace StashMount.Mount.Cli;

/// <summary>Gives a command its body with the shared plumbing: context creation, error reporting and exit codes.</summary>
public static class CommandActions
{
    /// <summary>
    /// Sets <paramref name="run"/> as the command's action. It gets a <see cref="CommandContext"/> (disposed after)
    /// and the Ctrl-C token; its return value is the exit code. Any exception becomes one stderr line and
    /// restic's exit code (see <see cref="ErrorReporter"/>).
    /// </summary>
    public static void SetContextAction(this Command command, GlobalOptions globals, Func<CommandContext, CancellationToken, Task<int>> run)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var debug = parseResult.GetValue(globals.Debug);
            try
            {
                await using var context = await CommandContext.CreateAsync(parseResult, globals, cancellationToken).ConfigureAwait(false);
                return await run(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return ErrorReporter.Report(e, globals.Host.StandardError, debug);
            }
        });
    }
}
