namespace StashMount.Repository;

/// <summary>Stored data failed its MAC or hash check, or does not parse; the message names the file or blob.</summary>
public sealed class IntegrityException : RepositoryException
{
    public IntegrityException(string message, Exception? inner = null) : base(message, inner) { }
}
