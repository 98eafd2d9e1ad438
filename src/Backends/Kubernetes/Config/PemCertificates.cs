using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StashMount.Backends.Kubernetes;

/// <summary>PEM certificates and keys as kubeconfig files and service-account volumes hold them.</summary>
internal static class PemCertificates
{
    public static X509Certificate2Collection LoadTrusted(string pem, string what)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubernetesApiException($"{what} is not a valid PEM certificate", inner: e);
        }
        if (collection.Count == 0)
            throw new KubernetesApiException($"{what} holds no PEM certificate");
        return collection;
    }

    /// <summary>A certificate with its private key, usable by SslStream for client authentication.</summary>
    public static X509Certificate2 LoadClient(string certificatePem, string keyPem, string what)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // SslStream wants a key it can hand to the TLS library; a PKCS#12 round trip gives it one on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new KubernetesApiException($"{what}: the client certificate or key is not valid PEM, or they do not match", inner: e);
        }
    }
}
