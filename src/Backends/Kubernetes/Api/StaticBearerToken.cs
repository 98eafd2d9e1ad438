namespace StashMount.Backends.Kubernetes;

/// <summary>A token written into the kubeconfig itself.</summary>
public sealed class StaticBearerToken(string token) : IBearerTokenSource
{
    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);
}
