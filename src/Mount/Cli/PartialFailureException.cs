namespace StashMount.Mount.Cli;

/// <summary>The command finished but some items failed (each already reported on stderr): exit 3, as restic.</summary>
public sealed class PartialFailureException : Exception
{
    public PartialFailureException(string message) : base(message) { }
}
