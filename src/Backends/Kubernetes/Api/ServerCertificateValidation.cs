using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace StashMount.Backends.Kubernetes;

/// <summary>Checks the API server's certificate against the cluster CA from the kubeconfig or service account, not the system store.</summary>
internal static class ServerCertificateValidation
{
    public static bool IsTrusted(KubernetesEndpoint endpoint, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (endpoint.InsecureSkipTlsVerify)
            return true;
        if (endpoint.TrustedCertificates is not { Count: > 0 } roots)
            return errors == SslPolicyErrors.None;
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
            return false;

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        // Cluster CAs publish no revocation lists.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
