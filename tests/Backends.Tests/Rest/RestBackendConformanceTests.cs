using StashMount.Backends.Rest;
using StashMount.Backends.Tests.Conformance;

namespace StashMount.Backends.Tests.Rest;

public sealed class RestBackendConformanceTests : BackendConformanceTests, IClassFixture<RcloneRestServerFixture>
{
    private readonly RcloneRestServerFixture _server;

    public RestBackendConformanceTests(RcloneRestServerFixture server) => _server = server;

    protected override async Task<IBackend> OpenFreshAsync()
    {
        var location = RepositoryLocation.Parse($"rest:{_server.Url}repo-{Guid.NewGuid():N}");
        var backend = new RestBackend(location, new DictionaryCredentialSource(new Dictionary<string, string>()), BackendOptions.Default);
        await backend.CreateRepositoryAsync();
        return backend;
    }
}
