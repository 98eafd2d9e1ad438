using System.Diagnostics;

namespace StashMount.Mount.Cli;

/// <summary>
/// Finds the repository password the way restic does: --password-file or --password-command (each also from
/// its environment variable), else RESTIC_PASSWORD. Never prompts, so scripts and pods never hang on stdin.
/// </summary>
public static class PasswordResolver
{
    public static async Task<string> ResolveAsync(string? passwordFile, string? passwordCommand, CliEnvironment environment, CancellationToken cancellationToken)
    {
        passwordFile ??= environment.Get("RESTIC_PASSWORD_FILE");
        passwordCommand ??= environment.Get("RESTIC_PASSWORD_COMMAND");
        if (passwordFile != null && passwordCommand != null)
            throw new UsageException("give either a password file or a password command, not both");
        string? password;
        if (passwordCommand != null)
            password = await RunCommandAsync(passwordCommand, cancellationToken).ConfigureAwait(false);
        else if (passwordFile != null)
            password = await ReadFileAsync(passwordFile, cancellationToken).ConfigureAwait(false);
        else
            password = environment.Get("RESTIC_PASSWORD");
        if (string.IsNullOrEmpty(password))
            throw new UsageException("no password given: use --password-file, --password-command, RESTIC_PASSWORD_FILE or RESTIC_PASSWORD");
        return password;
    }

    private static async Task<string> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            // restic trims surrounding white space from a password file.
            return (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read password file {path}: {e.Message}");
        }
    }

    private static async Task<string> RunCommandAsync(string command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardInput = false, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info) ?? throw new UsageException($"cannot run password command {command}");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new UsageException($"password command exited with status {process.ExitCode}");
        return output.Trim();
    }
}
