namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Stash v1: a Repository (stash.appscode.com/v1alpha1) is one restic repository; its storageSecretName Secret
/// holds RESTIC_PASSWORD, the provider's keys and optionally CA_CERT_DATA, all under restic's env-var names.
/// </summary>
public sealed class StashRepositoryResolver(KubernetesApiClient client)
{
    public async Task<ResolvedRepository> ResolveAsync(KubernetesObjectName name, CancellationToken cancellationToken = default)
    {
        var what = $"Stash Repository {name}";
        var repository = await client.GetAsync(KubernetesResource.StashRepositories, name.Namespace, name.Name, cancellationToken).ConfigureAwait(false);
        var backend = StashBackend.From(repository, what);
        var repositoryString = backend.RepositoryString(what);
        var secretName = backend.SecretName ?? throw new KubernetesApiException($"{what} has no spec.backend.storageSecretName");

        var secret = await KubernetesSecret.GetAsync(client, new KubernetesObjectName(name.Namespace, secretName), cancellationToken).ConfigureAwait(false);
        secret.Require("RESTIC_PASSWORD");
        foreach (var key in backend.RequiredSecretKeys)
            secret.Require(key);

        var credentials = secret.EnvironmentStyleEntries();
        // Stash exports s3.region as AWS_DEFAULT_REGION for restic.
        if (backend.Provider == "s3" && backend.Block.String("region") is { } region)
            credentials["AWS_DEFAULT_REGION"] = region;
        return new ResolvedRepository(repositoryString, credentials)
        {
            InsecureTls = backend.Provider == "s3" && backend.Block.Bool("insecureTLS"),
            Connections = backend.Provider is "gcs" or "azure" or "b2" ? backend.Block.PositiveInt("maxConnections") : null,
            Source = what,
        };
    }

    /// <summary>--k8s-secret: the Secret's keys as credentials for a repository given explicitly with -r.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadCredentialsAsync(KubernetesApiClient client, KubernetesObjectName name, CancellationToken cancellationToken = default)
    {
        var secret = await KubernetesSecret.GetAsync(client, name, cancellationToken).ConfigureAwait(false);
        return secret.EnvironmentStyleEntries();
    }
}
