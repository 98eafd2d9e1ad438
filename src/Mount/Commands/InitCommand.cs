using System.CommandLine;
using StashMount.Backends.Local;
using StashMount.Mount.Cli;
using StashMount.Repository.Config;

namespace StashMount.Mount.Commands;

/// <summary><c>init [--repository-version 1|2]</c>: creates a repository as restic init does (version 2 by default).</summary>
public static class InitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var version = new Option<int>("--repository-version") { Description = "repository format version: 1 or 2", DefaultValueFactory = _ => 2 };
        var command = new Command("init", "Initialize a new repository") { version };
        command.SetContextAction(globals, async (context, cancellationToken) =>
        {
            var wanted = context.Get(version);
            if (wanted is not (1 or 2))
                throw new UsageException($"repository version {wanted} is not supported (use 1 or 2)");
            var password = await PasswordResolver.ResolveAsync(context.Get(globals.PasswordFile), context.Get(globals.PasswordCommand),
                context.Environment, cancellationToken).ConfigureAwait(false);
            await using var backend = await context.OpenBackendAsync(cancellationToken).ConfigureAwait(false);
            if (backend is LocalBackend local)
                local.CreateLayout();
            var created = await RepositoryInitializer.InitializeAsync(backend, password, wanted, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                await using var writer = JsonOutput.CreateWriter(context.BinaryOutput);
                writer.WriteStartObject();
                writer.WriteString("message_type", "initialized");
                writer.WriteString("id", created.Config.Id);
                writer.WriteString("repository", backend.Location);
                writer.WriteEndObject();
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                await context.BinaryOutput.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                context.Output.WriteLine($"created restic repository {created.Config.Id[..10]} at {backend.Location}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
