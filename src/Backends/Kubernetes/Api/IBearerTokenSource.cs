namespace StashMount.Backends.Kubernetes;

/// <summary>Supplies the bearer token for each API request; sources may refresh it (rotated files, exec plugins).</summary>
public interface IBearerTokenSource
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}
