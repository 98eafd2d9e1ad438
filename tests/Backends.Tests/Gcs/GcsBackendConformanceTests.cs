using StashMount.Backends.Gcs;
using StashMount.Backends.Tests.Conformance;

namespace StashMount.Backends.Tests.Gcs;

public sealed class GcsBackendConformanceTests : BackendConformanceTests, IClassFixture<LoopbackGcsServer>
{
    private readonly LoopbackGcsServer _server;

    public GcsBackendConformanceTests(LoopbackGcsServer server) => _server = server;

    protected override Task<IBackend> OpenFreshAsync()
    {
        var credentials = new DictionaryCredentialSource(new Dictionary<string, string>
        {
            [CredentialNames.GoogleServiceAccountJsonKey] = _server.ServiceAccountJson(),
            [CredentialNames.StorageEmulatorHost] = _server.Endpoint,
        });
        return Task.FromResult<IBackend>(new GcsBackend(RepositoryLocation.Parse($"gs:{_server.Bucket}:/kubestash/repo-{Guid.NewGuid():N}"), credentials, BackendOptions.Default));
    }
}
