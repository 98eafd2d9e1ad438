using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using StashMount.Backends.Kubernetes;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.Backends.Tests.Kubernetes;

/// <summary>Every failure is one line that says what to fix, and an unreachable server never hangs.</summary>
[Collection("Kubernetes API")]
public sealed class KubernetesApiErrorTests : FakeApiServerTest
{
    [Fact]
    public async Task RbacDenialNamesVerbResourceAndNamespace()
    {
        KubernetesObjects.AddS3Repository(Server, "demo", "repo", "s3-secret");
        Server.ForbiddenPaths["/api/v1/namespaces/demo/secrets/s3-secret"] = 0;
        using var client = Client();
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => new StashRepositoryResolver(client).ResolveAsync(new("demo", "repo")));
        Assert.Equal(403, error.StatusCode);
        Assert.Contains("cannot get secrets \"s3-secret\" in namespace \"demo\"", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task RbacDenialOnListNamesTheVerb()
    {
        Server.Add("storage.kubestash.com/v1alpha1", "repositories", "demo", "r", new JsonObject());
        Server.ForbiddenPaths["/apis/storage.kubestash.com/v1alpha1/namespaces/demo/snapshots"] = 0;
        using var client = Client();
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(KubernetesResource.KubeStashSnapshots, "demo"));
        Assert.Contains("cannot list snapshots.storage.kubestash.com in namespace \"demo\"", error.Message);
    }

    [Fact]
    public async Task MissingObjectIsNamed()
    {
        Server.AddSecret("demo", "other", new Dictionary<string, string>());
        KubernetesObjects.AddS3Repository(Server, "demo", "present", "s3-secret");
        using var client = Client();
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => new StashRepositoryResolver(client).ResolveAsync(new("demo", "absent")));
        Assert.Equal(404, error.StatusCode);
        Assert.Contains("Repository demo/absent not found", error.Message);
    }

    [Fact]
    public async Task ResourceTypeNotServedSaysWhichOperatorIsMissing()
    {
        using var client = Client();
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => new KubeStashResolver(client).ResolveRepositoryAsync(new("demo", "r")));
        Assert.Contains("is KubeStash installed?", error.Message);
    }

    [Fact]
    public async Task MissingSecretKeyIsNamed()
    {
        KubernetesObjects.AddS3Repository(Server, "demo", "repo", "s3-secret", includePassword: false);
        using var client = Client();
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => new StashRepositoryResolver(client).ResolveAsync(new("demo", "repo")));
        Assert.Contains("Secret demo/s3-secret has no key RESTIC_PASSWORD", error.Message);
        Assert.DoesNotContain("AKIA", error.Message);
    }

    [Fact]
    public async Task UnsupportedProviderListsTheSupportedOnes()
    {
        Server.Add("stash.appscode.com/v1alpha1", "repositories", "demo", "odd", JsonNode.Parse("""
            {"spec":{"backend":{"storageSecretName":"s","dropbox":{"folder":"x"}}}}
            """)!.AsObject());
        using var client = Client();
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => new StashRepositoryResolver(client).ResolveAsync(new("demo", "odd")));
        Assert.Contains("\"dropbox\", which is not supported; supported providers: local, s3, gcs, azure, swift, b2, rest", error.Message);
    }

    [Fact]
    public async Task WrongTokenIsUnauthorized()
    {
        using var client = Client("wrong");
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(KubernetesResource.Secrets, "demo"));
        Assert.Contains("rejected the credentials from test kubeconfig", error.Message);
    }

    [Fact]
    public async Task ClosedPortIsUnreachable()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var client = Client(server: new Uri($"http://127.0.0.1:{port}/"));
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(KubernetesResource.Secrets, "demo"));
        Assert.Contains("unreachable", error.Message);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task SilentServerTimesOutWithAMessage()
    {
        // Accepts connections but never answers, like a black-holed API server address.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var client = Client(server: new Uri($"http://127.0.0.1:{port}/"), timeout: TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(KubernetesResource.Secrets, "demo"));
        Assert.Contains("did not answer within 2 s", error.Message);
    }

    [Fact]
    public void DefaultTimeoutIsFifteenSeconds() => Assert.Equal(TimeSpan.FromSeconds(15), KubernetesApiClient.DefaultTimeout);
}
