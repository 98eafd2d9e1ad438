namespace StashMount.Backends;

/// <summary>A failure worth retrying: throttling, a 5xx answer, a dropped connection, a timeout.</summary>
public class TransientBackendException : BackendException
{
    public TransientBackendException(string message, Exception? inner = null) : base(message, inner) { }
}
