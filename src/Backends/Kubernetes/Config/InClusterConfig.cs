using System.Net;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// The configuration a pod gets for free: KUBERNETES_SERVICE_HOST/PORT and the service-account volume
/// (token, ca.crt, namespace). The token is a <see cref="FileBearerToken"/> because the kubelet rotates it.
/// </summary>
public static class InClusterConfig
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable(Func<string, string?> environment, string serviceAccountDirectory = DefaultServiceAccountDirectory) =>
        !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) && File.Exists(Path.Combine(serviceAccountDirectory, "token"));

    public static KubernetesEndpoint Load(Func<string, string?> environment, string serviceAccountDirectory = DefaultServiceAccountDirectory)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
            throw new KubernetesApiException("not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
        var tokenPath = Path.Combine(serviceAccountDirectory, "token");
        if (!File.Exists(tokenPath))
            throw new KubernetesApiException($"no service-account token at {tokenPath} (is automountServiceAccountToken false?)");

        var hostPart = IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        var caPath = Path.Combine(serviceAccountDirectory, "ca.crt");
        var roots = File.Exists(caPath) ? PemCertificates.LoadTrusted(File.ReadAllText(caPath), caPath) : null;
        var namespacePath = Path.Combine(serviceAccountDirectory, "namespace");
        var defaultNamespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "default";
        return new KubernetesEndpoint(new Uri($"https://{hostPart}:{port}/"), roots, false, null, new FileBearerToken(tokenPath),
            defaultNamespace.Length > 0 ? defaultNamespace : "default", "in-cluster service account");
    }
}
