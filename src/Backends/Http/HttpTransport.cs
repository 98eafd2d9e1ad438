using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace StashMount.Backends.Http;

/// <summary>
/// Builds the HttpClient the HTTP backends share: a connect timeout so an unreachable host fails fast instead of
/// hanging, a pool sized to the connection limit, and restic's TLS options (extra CA from --cacert or CA_CERT_DATA,
/// --insecure-tls).
/// </summary>
public static class HttpTransport
{
    public static SocketsHttpHandler CreateHandler(BackendOptions options, ICredentialSource credentials, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            MaxConnectionsPerServer = Math.Max(connections, 1) * 2,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            AllowAutoRedirect = false,
        };
        var extraCa = LoadExtraCertificates(options, credentials);
        if (options.InsecureTls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (extraCa.Count > 0)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                ValidateWithExtraRoots(certificate, chain, errors, extraCa);
        }
        return handler;
    }

    public static HttpClient CreateClient(BackendOptions options, ICredentialSource credentials, int connections) =>
        new(CreateHandler(options, credentials, connections), disposeHandler: true)
        {
            // Each request gets its own timeout token; the client-wide one must not cut a long read short.
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static X509Certificate2Collection LoadExtraCertificates(BackendOptions options, ICredentialSource credentials)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in options.CaCertFiles)
        {
            try
            {
                var before = collection.Count;
                collection.ImportFromPemFile(file);
                if (collection.Count == before)
                    throw new System.Security.Cryptography.CryptographicException("no certificate in the file");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new BackendException($"cannot load the CA certificate {file} ({OneLineReason(e)}); expected a PEM file for --cacert");
            }
        }
        if (credentials.Get(CredentialNames.CaCertData) is { } pem)
        {
            try
            {
                collection.ImportFromPem(pem);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // Never echo the value: it came from a Secret.
                throw new BackendException("cannot load the CA certificate in CA_CERT_DATA; expected PEM");
            }
        }
        return collection;
    }

    private static string OneLineReason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => HttpFailures.OneLine(e.Message),
    };

    private static bool ValidateWithExtraRoots(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain != null)
            foreach (var element in chain.ChainElements)
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        return custom.Build(new X509Certificate2(certificate));
    }
}
