using StashMount.Backends.Kubernetes;
using StashMount.TestSupport;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.Backends.Tests.Kubernetes;

/// <summary>kubeconfig variants against a loopback HTTPS API server whose certificate a test CA issued.</summary>
[Collection("Kubernetes API")]
public sealed class KubeconfigAuthenticationTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = new();
    private readonly TempDirectory _temp = new("stashmount-kubeconfig");
    private FakeKubernetesApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync(_certificates.Server);
        _server.AddSecret("demo", "creds", new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "pw" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificates.Dispose();
        _temp.Dispose();
    }

    private string CaData => "    certificate-authority-data: " + KubeconfigWriter.Base64(_certificates.AuthorityPem);

    private async Task<string> ReadPasswordAsync(KubernetesEndpoint endpoint)
    {
        using var client = new KubernetesApiClient(endpoint);
        var credentials = await StashRepositoryResolver.ReadCredentialsAsync(client, new KubernetesObjectName("demo", "creds"));
        return credentials["RESTIC_PASSWORD"];
    }

    [Fact]
    public async Task BearerTokenWithInlineCertificateAuthority()
    {
        _server.AcceptedTokens["token-1"] = 0;
        var path = KubeconfigWriter.Write(_temp.Combine("config"), _server.Url, CaData, "    token: token-1", @namespace: "demo");
        var endpoint = KubeconfigLoader.Load([path], null);
        Assert.Equal("demo", endpoint.DefaultNamespace);
        Assert.Equal("pw", await ReadPasswordAsync(endpoint));
    }

    [Fact]
    public async Task ClientCertificateAndCertificateAuthorityFromRelativeFiles()
    {
        var (certificate, certificatePem, keyPem) = _certificates.IssueClient("admin");
        _server.AcceptedClientCertificates[certificate.Thumbprint] = 0;
        Directory.CreateDirectory(_temp.Combine("pki"));
        File.WriteAllText(_temp.Combine("pki", "ca.crt"), _certificates.AuthorityPem);
        File.WriteAllText(_temp.Combine("pki", "admin.crt"), certificatePem);
        File.WriteAllText(_temp.Combine("pki", "admin.key"), keyPem);
        var path = KubeconfigWriter.Write(_temp.Combine("config"), _server.Url, "    certificate-authority: pki/ca.crt",
            "    client-certificate: pki/admin.crt\n    client-key: pki/admin.key");
        Assert.Equal("pw", await ReadPasswordAsync(KubeconfigLoader.Load([path], null)));
    }

    [Fact]
    public async Task ClientCertificateInlineData()
    {
        var (certificate, certificatePem, keyPem) = _certificates.IssueClient("admin");
        _server.AcceptedClientCertificates[certificate.Thumbprint] = 0;
        var path = KubeconfigWriter.Write(_temp.Combine("config"), _server.Url, CaData,
            $"    client-certificate-data: {KubeconfigWriter.Base64(certificatePem)}\n    client-key-data: {KubeconfigWriter.Base64(keyPem)}");
        Assert.Equal("pw", await ReadPasswordAsync(KubeconfigLoader.Load([path], null)));
    }

    [Fact]
    public async Task ExecPluginTokenIsUsedAndCachedUntilExpiry()
    {
        _server.AcceptedTokens["from-plugin"] = 0;
        var script = _temp.Combine("bin", "get-token");
        Directory.CreateDirectory(_temp.Combine("bin"));
        // The plugin proves it got the kubeconfig env and KUBERNETES_EXEC_INFO, and counts its runs.
        File.WriteAllText(script, """
            #!/bin/sh
            echo run >> "$(dirname "$0")/runs"
            case "$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) echo "no exec info" >&2; exit 3 ;; esac
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$PLUGIN_TOKEN"
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = KubeconfigWriter.Write(_temp.Combine("config"), _server.Url, CaData, """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/get-token
                  args: ["--cluster", "test"]
                  env:
                  - name: PLUGIN_TOKEN
                    value: from-plugin
            """);
        var endpoint = KubeconfigLoader.Load([path], null);
        using var client = new KubernetesApiClient(endpoint);
        var name = new KubernetesObjectName("demo", "creds");
        await StashRepositoryResolver.ReadCredentialsAsync(client, name);
        await StashRepositoryResolver.ReadCredentialsAsync(client, name);
        Assert.Single(File.ReadAllLines(_temp.Combine("bin", "runs")));
    }

    [Fact]
    public async Task FailingExecPluginIsOneLineNamingThePlugin()
    {
        var path = KubeconfigWriter.Write(_temp.Combine("config"), _server.Url, CaData, "    exec:\n      command: /bin/false");
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => ReadPasswordAsync(KubeconfigLoader.Load([path], null)));
        Assert.Contains("/bin/false", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task InsecureSkipTlsVerifyAcceptsAnUnknownCertificate()
    {
        _server.AcceptedTokens["token-1"] = 0;
        var path = KubeconfigWriter.Write(_temp.Combine("config"), _server.Url, "    insecure-skip-tls-verify: true", "    token: token-1");
        Assert.Equal("pw", await ReadPasswordAsync(KubeconfigLoader.Load([path], null)));
    }

    [Fact]
    public async Task WrongCertificateAuthorityIsATlsError()
    {
        _server.AcceptedTokens["token-1"] = 0;
        using var other = new TestCertificates("another-ca");
        var path = KubeconfigWriter.Write(_temp.Combine("config"), _server.Url,
            "    certificate-authority-data: " + KubeconfigWriter.Base64(other.AuthorityPem), "    token: token-1");
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => ReadPasswordAsync(KubeconfigLoader.Load([path], null)));
        Assert.Contains("TLS", error.Message);
    }

    [Fact]
    public async Task KubeconfigListMergesFilesAndContextSelectsOne()
    {
        _server.AcceptedTokens["second"] = 0;
        var first = KubeconfigWriter.Write(_temp.Combine("first"), new Uri("https://127.0.0.1:1/"), CaData, "    token: first", name: "one", currentContext: "one");
        var second = KubeconfigWriter.Write(_temp.Combine("second"), _server.Url, CaData, "    token: second", name: "two", currentContext: null);
        var environment = new Dictionary<string, string?> { ["KUBECONFIG"] = $"{first}:{second}" };
        var endpoint = KubernetesConfigLoader.Load(null, "two", name => environment.GetValueOrDefault(name), _temp.Combine("no-service-account"));
        Assert.Equal("pw", await ReadPasswordAsync(endpoint));
        Assert.Equal(new Uri("https://127.0.0.1:1/"), KubernetesConfigLoader.Load(null, null, name => environment.GetValueOrDefault(name), _temp.Combine("none")).Server);
    }

    [Fact]
    public void UnknownContextIsNamed()
    {
        var path = KubeconfigWriter.Write(_temp.Combine("config"), _server.Url, CaData, "    token: x");
        var error = Assert.Throws<KubernetesApiException>(() => KubeconfigLoader.Load([path], "prod"));
        Assert.Contains("no context \"prod\"", error.Message);
    }
}
