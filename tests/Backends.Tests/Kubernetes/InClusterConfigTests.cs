using StashMount.Backends.Kubernetes;
using StashMount.TestSupport;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.Backends.Tests.Kubernetes;

/// <summary>The pod's service account: environment variables plus the token, ca.crt and namespace files.</summary>
[Collection("Kubernetes API")]
public sealed class InClusterConfigTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = new();
    private readonly TempDirectory _serviceAccount = new("stashmount-sa");
    private FakeKubernetesApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync(_certificates.Server);
        _server.AddSecret("backup", "creds", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "pw" });
        File.WriteAllText(_serviceAccount.Combine("ca.crt"), _certificates.AuthorityPem);
        File.WriteAllText(_serviceAccount.Combine("namespace"), "backup");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificates.Dispose();
        _serviceAccount.Dispose();
    }

    private Func<string, string?> PodEnvironment => name => name switch
    {
        "KUBERNETES_SERVICE_HOST" => "127.0.0.1",
        "KUBERNETES_SERVICE_PORT" => _server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    [Fact]
    public async Task ServiceAccountIsUsedWhenNoKubeconfigIsGivenAndRotatedTokensAreReRead()
    {
        File.WriteAllText(_serviceAccount.Combine("token"), "first-token\n");
        _server.AcceptedTokens["first-token"] = 0;
        var endpoint = KubernetesConfigLoader.Load(null, null, PodEnvironment, _serviceAccount.Path);
        Assert.Equal("backup", endpoint.DefaultNamespace);
        Assert.Equal("in-cluster service account", endpoint.Source);

        using var client = new KubernetesApiClient(endpoint);
        var name = KubernetesObjectName.Parse("creds", endpoint.DefaultNamespace);
        Assert.Equal("pw", (await StashRepositoryResolver.ReadCredentialsAsync(client, name))["RESTIC_PASSWORD"]);

        // The kubelet swaps in a new token and the old one stops working (a different length, so the change is
        // seen even when the file system's timestamps are coarse).
        _server.AcceptedTokens.Clear();
        File.WriteAllText(_serviceAccount.Combine("token"), "second-token-longer\n");
        _server.AcceptedTokens["second-token-longer"] = 0;
        Assert.Equal("pw", (await StashRepositoryResolver.ReadCredentialsAsync(client, name))["RESTIC_PASSWORD"]);
    }

    [Fact]
    public void MissingTokenFileSaysSo()
    {
        var error = Assert.Throws<KubernetesApiException>(() => InClusterConfig.Load(PodEnvironment, _serviceAccount.Path));
        Assert.Contains("token", error.Message);
    }
}
