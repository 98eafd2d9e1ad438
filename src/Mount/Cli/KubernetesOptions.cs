using System.CommandLine;
using StashMount.Backends.Kubernetes;

namespace StashMount.Mount.Cli;

/// <summary>
/// Global options that take the repository and its credentials from Kubernetes objects instead of flags:
/// a Stash Repository, a KubeStash Repository component, or just a Secret for an explicit -r.
/// </summary>
public sealed class KubernetesOptions
{
    public Option<string?> StashRepository { get; } = new("--k8s-repository")
    {
        Description = "Stash Repository NAMESPACE/NAME: repository and credentials from spec.backend and its storage Secret",
        Recursive = true,
    };

    public Option<string?> Secret { get; } = new("--k8s-secret")
    {
        Description = "Secret NAMESPACE/NAME whose keys (RESTIC_PASSWORD, AWS_ACCESS_KEY_ID, ...) are the credentials for -r",
        Recursive = true,
    };

    public Option<string?> KubeStashRepository { get; } = new("--kubestash-repository")
    {
        Description = "KubeStash Repository NAMESPACE/NAME: its BackupStorage, storage Secret and encryption Secret",
        Recursive = true,
    };

    public Option<string?> KubeStashComponent { get; } = new("--kubestash-component")
    {
        Description = "SESSION/COMPONENT of the KubeStash Repository (needed when it has more than one)",
        Recursive = true,
    };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "kubeconfig file (default: $KUBECONFIG, the pod's service account, ~/.kube/config)",
        Recursive = true,
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = "kubeconfig context to use (default: current-context)",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Add(StashRepository);
        root.Add(Secret);
        root.Add(KubeStashRepository);
        root.Add(KubeStashComponent);
        root.Add(Kubeconfig);
        root.Add(Context);
    }

    /// <summary>
    /// The repository (null for --k8s-secret, which only supplies credentials) and credentials named by these
    /// options, or null when none is given. Talks to the API server only when one is given.
    /// </summary>
    public async Task<ResolvedRepository?> ResolveAsync(ParseResult parseResult, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var stash = parseResult.GetValue(StashRepository);
        var secret = parseResult.GetValue(Secret);
        var kubeStash = parseResult.GetValue(KubeStashRepository);
        var component = parseResult.GetValue(KubeStashComponent);
        var given = new[] { stash, secret, kubeStash }.Count(v => v is not null);
        if (given == 0)
            return component is null ? null : throw new UsageException("--kubestash-component needs --kubestash-repository");
        if (given > 1)
            throw new UsageException("give only one of --k8s-repository, --k8s-secret and --kubestash-repository");
        if (component is not null && kubeStash is null)
            throw new UsageException("--kubestash-component needs --kubestash-repository");

        var endpoint = KubernetesConfigLoader.Load(parseResult.GetValue(Kubeconfig), parseResult.GetValue(Context), environment);
        using var client = new KubernetesApiClient(endpoint);
        try
        {
            if (stash is not null)
                return await new StashRepositoryResolver(client).ResolveAsync(KubernetesObjectName.Parse(stash, endpoint.DefaultNamespace), cancellationToken).ConfigureAwait(false);
            if (secret is not null)
            {
                var name = KubernetesObjectName.Parse(secret, endpoint.DefaultNamespace);
                var credentials = await StashRepositoryResolver.ReadCredentialsAsync(client, name, cancellationToken).ConfigureAwait(false);
                return new ResolvedRepository("", credentials) { Source = $"Secret {name}" };
            }
            var repository = KubernetesObjectName.Parse(kubeStash!, endpoint.DefaultNamespace);
            var resolver = new KubeStashResolver(client);
            return component is null
                ? await resolver.ResolveOnlyComponentAsync(repository, cancellationToken).ConfigureAwait(false)
                : await resolver.ResolveComponentAsync(repository, component, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Credentials as the command sees them: --secret-dir files override what came from the cluster.</summary>
    public static IReadOnlyDictionary<string, string>? Layer(ResolvedRepository? resolved, IReadOnlyDictionary<string, string>? secretDirectory)
    {
        if (resolved is null)
            return secretDirectory;
        var merged = new Dictionary<string, string>(resolved.Credentials, StringComparer.Ordinal);
        foreach (var (name, value) in secretDirectory ?? new Dictionary<string, string>())
            merged[name] = value;
        return merged;
    }

    /// <summary>The -o options plus the provider's maxConnections (as restic's -o gs.connections=N), unless -o sets it.</summary>
    public static IReadOnlyDictionary<string, string> WithConnections(ResolvedRepository? resolved, Dictionary<string, string> options)
    {
        if (resolved is { Connections: { } connections, Repository: var repository } && repository.IndexOf(':') is > 0 and var colon)
            options.TryAdd($"{repository[..colon]}.connections", connections.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return options;
    }
}
