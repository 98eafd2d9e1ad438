namespace StashMount.Mount.Cli;

/// <summary>The user asked for something that cannot be done as asked (bad argument, missing setting): exit 1, one line.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
