namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Picks the cluster configuration: --kubeconfig, then KUBECONFIG, then the pod's service account (so a sidecar
/// or DaemonSet needs no flags), then ~/.kube/config.
/// </summary>
public static class KubernetesConfigLoader
{
    public static KubernetesEndpoint Load(string? kubeconfig, string? context, Func<string, string?>? environment = null,
        string serviceAccountDirectory = InClusterConfig.DefaultServiceAccountDirectory)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(kubeconfig))
            return KubeconfigLoader.Load([kubeconfig], context);
        if (environment("KUBECONFIG") is { Length: > 0 } list)
            return KubeconfigLoader.Load(list.Split(':', StringSplitOptions.RemoveEmptyEntries), context);
        if (context is null && InClusterConfig.IsAvailable(environment, serviceAccountDirectory))
            return InClusterConfig.Load(environment, serviceAccountDirectory);
        var home = environment("HOME");
        var defaultPath = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".kube", "config");
        if (defaultPath is not null && File.Exists(defaultPath))
            return KubeconfigLoader.Load([defaultPath], context);
        throw new KubernetesApiException("no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account");
    }
}
