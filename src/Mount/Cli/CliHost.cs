namespace StashMount.Mount.Cli;

/// <summary>
/// What a command run talks to outside itself: standard output (binary, for dump), standard error and the
/// environment. The real process uses <see cref="FromProcess"/>; tests pass their own to run commands in-process.
/// </summary>
public sealed class CliHost
{
    public CliHost(Stream standardOutput, TextWriter standardError, Func<string, string?> environment, bool errorIsTerminal = false)
    {
        StandardOutput = standardOutput;
        StandardError = standardError;
        Environment = environment;
        ErrorIsTerminal = errorIsTerminal;
    }

    public Stream StandardOutput { get; }

    public TextWriter StandardError { get; }

    /// <summary>Looks up a process environment variable.</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>Progress lines go to standard error only when it is a terminal.</summary>
    public bool ErrorIsTerminal { get; }

    public static CliHost FromProcess() => new(
        Console.OpenStandardOutput(),
        Console.Error,
        System.Environment.GetEnvironmentVariable,
        !Console.IsErrorRedirected);
}
