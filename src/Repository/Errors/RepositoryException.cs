namespace StashMount.Repository;

/// <summary>A repository-level failure with a one-line message fit for a user.</summary>
public class RepositoryException : Exception
{
    public RepositoryException(string message, Exception? inner = null) : base(message, inner) { }
}
