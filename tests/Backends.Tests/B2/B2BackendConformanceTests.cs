using StashMount.Backends.B2;
using StashMount.Backends.Tests.Conformance;

namespace StashMount.Backends.Tests.B2;

public sealed class B2BackendConformanceTests : BackendConformanceTests, IClassFixture<LoopbackB2Server>
{
    private readonly LoopbackB2Server _server;

    public B2BackendConformanceTests(LoopbackB2Server server) => _server = server;

    protected override Task<IBackend> OpenFreshAsync() =>
        Task.FromResult<IBackend>(B2BackendTests.Open(_server, $"b2:{_server.Bucket}:/stash/repo-{Guid.NewGuid():N}"));
}
