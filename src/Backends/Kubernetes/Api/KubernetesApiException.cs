namespace StashMount.Backends.Kubernetes;

/// <summary>A Kubernetes API call failed; the message is one line a user can act on and never holds a secret.</summary>
public sealed class KubernetesApiException : BackendException
{
    public KubernetesApiException(string message, int? statusCode = null, Exception? inner = null) : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status the API server answered with, or null when it could not be reached.</summary>
    public int? StatusCode { get; }
}
