namespace StashMount.Mount.Cli;

/// <summary>restic's exit codes, so scripts written for restic (and Stash's own) read ours the same way.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int PartialFailure = 3;
    public const int RepositoryNotFound = 10;
    public const int RepositoryLocked = 11;
    public const int WrongPassword = 12;
    public const int Interrupted = 130;
}
