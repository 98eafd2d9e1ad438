using System.Security.Cryptography.X509Certificates;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// How to reach and authenticate to one API server, from a kubeconfig context or the in-cluster service account.
/// </summary>
/// <param name="Server">The API server's base URL.</param>
/// <param name="TrustedCertificates">The cluster CA(s); null means the system trust store.</param>
/// <param name="InsecureSkipTlsVerify">Accept any server certificate (kubeconfig insecure-skip-tls-verify).</param>
/// <param name="ClientCertificate">A client certificate with its private key, for x509 authentication.</param>
/// <param name="Token">The bearer token source, if any.</param>
/// <param name="DefaultNamespace">The namespace used when NS/ is omitted.</param>
/// <param name="Source">Where this came from, for messages ("in-cluster service account", "kubeconfig X, context Y").</param>
public sealed record KubernetesEndpoint(
    Uri Server,
    X509Certificate2Collection? TrustedCertificates,
    bool InsecureSkipTlsVerify,
    X509Certificate2? ClientCertificate,
    IBearerTokenSource? Token,
    string DefaultNamespace,
    string Source);
