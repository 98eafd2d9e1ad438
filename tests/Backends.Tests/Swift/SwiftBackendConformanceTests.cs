using StashMount.Backends.Tests.Conformance;

namespace StashMount.Backends.Tests.Swift;

public sealed class SwiftBackendConformanceTests : BackendConformanceTests, IClassFixture<LoopbackSwiftServer>
{
    private readonly LoopbackSwiftServer _server;

    public SwiftBackendConformanceTests(LoopbackSwiftServer server) => _server = server;

    protected override Task<IBackend> OpenFreshAsync() =>
        Task.FromResult(BackendFactory.CreateUndecorated(RepositoryLocation.Parse($"swift:{_server.Container}:/stash/repo-{Guid.NewGuid():N}"),
            new DictionaryCredentialSource(SwiftAuthTests.V1(_server)), BackendOptions.Default));
}
