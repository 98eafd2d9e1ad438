using StashMount.Backends.Azure;
using StashMount.Backends.Tests.Conformance;

namespace StashMount.Backends.Tests.Azure;

public sealed class AzureBackendConformanceTests : BackendConformanceTests, IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _server;

    public AzureBackendConformanceTests(AzuriteFixture server) => _server = server;

    protected override async Task<IBackend> OpenFreshAsync()
    {
        var backend = new AzureBackend(RepositoryLocation.Parse($"azure:c{Guid.NewGuid():N}:/backup/demo"), _server.Credentials(), BackendOptions.Default);
        await backend.CreateContainerAsync();
        return backend;
    }
}
