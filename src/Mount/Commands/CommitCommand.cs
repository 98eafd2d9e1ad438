using System.CommandLine;
using StashMount.Mount.Cli;
using StashMount.Mount.Writable;

namespace StashMount.Mount.Commands;

/// <summary>
/// <c>commit MOUNTPOINT</c>: asks the daemon of a <c>mount --write</c> to turn <c>new/</c> into a snapshot now,
/// waits until it is saved and prints its ID. Files still being written are waited for. Needs no repository
/// options: the mount's daemon has the repository open.
/// </summary>
public static class CommitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var mountPoint = new Argument<string>("mountpoint") { Description = "where 'stashmount mount --write' mounted the repository" };
        var command = new Command("commit", "Commit the new/ folder of a writable mount as one snapshot and print its ID") { mountPoint };
        command.SetContextAction(globals, async (context, cancellationToken) =>
        {
            var id = await ControlClient.CommitAsync(context.Get(mountPoint)!, cancellationToken).ConfigureAwait(false);
            if (id is null)
            {
                context.Error.WriteLine("nothing to commit: new/ is empty");
                return ExitCodes.Success;
            }
            await context.Output.WriteLineAsync(id).ConfigureAwait(false);
            await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
