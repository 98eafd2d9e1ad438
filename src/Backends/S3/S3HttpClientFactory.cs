using Amazon.Runtime;
using StashMount.Backends.Http;

namespace StashMount.Backends.S3;

/// <summary>
/// Gives the AWS SDK our HTTP stack, so --cacert, CA_CERT_DATA, --insecure-tls and the connect timeout apply to S3 too.
/// The client is built when the backend is opened, so a bad --cacert is reported at once as one line instead of
/// surfacing wrapped inside the SDK's first request.
/// </summary>
internal sealed class S3HttpClientFactory : HttpClientFactory
{
    private readonly HttpClient _client;

    public S3HttpClientFactory(BackendOptions options, ICredentialSource credentials, int connections) =>
        _client = HttpTransport.CreateClient(options, credentials, connections);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    // This factory is the cache: the SDK's own cache is process-wide by config string and would hand one
    // backend's TLS settings to another.
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => "stashmount-s3";
}
