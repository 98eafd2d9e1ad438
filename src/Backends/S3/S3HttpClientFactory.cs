using Amazon.Runtime;
using StashMount.Backends.Http;

namespace StashMount.Backends.S3;

/// <summary>Gives the AWS SDK our HTTP stack, so --cacert, CA_CERT_DATA, --insecure-tls and the connect timeout apply to S3 too.</summary>
internal sealed class S3HttpClientFactory : HttpClientFactory
{
    private readonly BackendOptions _options;
    private readonly ICredentialSource _credentials;
    private readonly int _connections;

    public S3HttpClientFactory(BackendOptions options, ICredentialSource credentials, int connections)
    {
        _options = options;
        _credentials = credentials;
        _connections = connections;
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        HttpTransport.CreateClient(_options, _credentials, _connections);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => "stashmount-s3";
}
