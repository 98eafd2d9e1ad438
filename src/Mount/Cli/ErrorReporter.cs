using StashMount.Backends;
using StashMount.Repository;

namespace StashMount.Mount.Cli;

/// <summary>
/// Turns an exception that ended a command into restic's exit code and one line on stderr. A stack trace is
/// printed only with --debug, because users need the cause, not the call chain.
/// </summary>
public static class ErrorReporter
{
    public static int ExitCodeOf(Exception error) => Unwrap(error) switch
    {
        WrongPasswordException => ExitCodes.WrongPassword,
        RepositoryNotFoundException => ExitCodes.RepositoryNotFound,
        BackendFileNotFoundException { Handle.Type: FileType.Config } => ExitCodes.RepositoryNotFound,
        StashMount.Repository.Locks.LockConflictException => ExitCodes.RepositoryLocked,
        PartialFailureException => ExitCodes.PartialFailure,
        OperationCanceledException => ExitCodes.Interrupted,
        _ => ExitCodes.Failure,
    };

    public static string MessageOf(Exception error)
    {
        var e = Unwrap(error);
        return e switch
        {
            BackendFileNotFoundException { Handle.Type: FileType.Config } nf => $"repository does not exist: {OneLine(nf.Message)}",
            OperationCanceledException => "interrupted",
            RepositoryException or BackendException or UsageException or PartialFailureException => OneLine(e.Message),
            IOException or UnauthorizedAccessException => OneLine(e.Message),
            _ => OneLine($"{e.GetType().Name}: {e.Message}"),
        };
    }

    /// <summary>Writes the error line (and with <paramref name="debug"/> the full exception) and returns the exit code.</summary>
    public static int Report(Exception error, TextWriter standardError, bool debug)
    {
        var code = ExitCodeOf(error);
        // An interrupted run says so in one line; a partial failure's per-item lines are already out.
        standardError.WriteLine(code == ExitCodes.PartialFailure ? $"Warning: {MessageOf(error)}" : $"Fatal: {MessageOf(error)}");
        if (debug)
            standardError.WriteLine(error.ToString());
        standardError.Flush();
        return code;
    }

    /// <summary>The exception that says what went wrong, under the wrappers that Task and Parallel add.</summary>
    public static Exception Unwrap(Exception error)
    {
        while (true)
        {
            switch (error)
            {
                case AggregateException { InnerExceptions.Count: 1 } a:
                    error = a.InnerExceptions[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    error = inner;
                    continue;
                default:
                    return error;
            }
        }
    }

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length == 0 ? "unknown error" : line;
    }
}
