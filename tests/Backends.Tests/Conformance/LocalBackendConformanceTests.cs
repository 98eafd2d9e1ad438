using StashMount.Backends.Local;
using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Conformance;

public sealed class LocalBackendConformanceTests : BackendConformanceTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<IBackend> OpenFreshAsync()
    {
        var backend = new LocalBackend(_dir.Combine("repo"));
        backend.CreateLayout();
        return Task.FromResult<IBackend>(backend);
    }

    public void Dispose() => _dir.Dispose();
}
