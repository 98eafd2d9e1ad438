using StashMount.Backends.Kubernetes;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.Backends.Tests.Kubernetes;

/// <summary>A plain-HTTP loopback API server per test, accepting bearer token <see cref="Token"/>.</summary>
public abstract class FakeApiServerTest : IAsyncLifetime
{
    protected const string Token = "t";

    protected FakeKubernetesApiServer Server { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Server = await FakeKubernetesApiServer.StartAsync();
        Server.AcceptedTokens[Token] = 0;
    }

    public virtual async Task DisposeAsync() => await Server.DisposeAsync();

    protected KubernetesApiClient Client(string token = Token, Uri? server = null, TimeSpan? timeout = null) =>
        new(new KubernetesEndpoint(server ?? Server.Url, null, false, null, new StaticBearerToken(token), "demo", "test kubeconfig"), timeout);
}
