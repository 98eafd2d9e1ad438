namespace StashMount.Backends;

/// <summary>A backend failure with a one-line message that is safe to show a user (never contains a secret).</summary>
public class BackendException : Exception
{
    public BackendException(string message) : base(message) { }

    public BackendException(string message, Exception? inner) : base(message, inner) { }
}
