using StashMount.Backends.S3;
using StashMount.Backends.Tests.Conformance;

namespace StashMount.Backends.Tests.S3;

public sealed class S3BackendConformanceTests : BackendConformanceTests, IClassFixture<S3rverFixture>
{
    private readonly S3rverFixture _server;

    public S3BackendConformanceTests(S3rverFixture server) => _server = server;

    protected override Task<IBackend> OpenFreshAsync() =>
        Task.FromResult<IBackend>(new S3Backend(_server.LocationFor($"backup/repo-{Guid.NewGuid():N}"), _server.Credentials, BackendOptions.Default));
}
