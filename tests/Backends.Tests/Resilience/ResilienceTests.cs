using StashMount.Backends.Local;
using StashMount.Backends.Resilience;
using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Resilience;

public sealed class ResilienceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LocalBackend NewLocal()
    {
        var local = new LocalBackend(_dir.Combine("repo"));
        local.CreateLayout();
        return local;
    }

    private static readonly BackendOptions Fast = BackendOptions.Default with
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(5), MaxRetries = 4, RequestTimeout = TimeSpan.FromSeconds(30),
    };

    private static FileHandle NewHandle(FileType type) => new(type, Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task TransientFailuresAreRetriedUntilTheCallSucceeds()
    {
        var local = NewLocal();
        var handle = NewHandle(FileType.Pack);
        await local.SaveAsync(handle, new byte[] { 1, 2, 3, 4 });
        var flaky = new FlakyBackend(local, failures: 3);
        var backend = BackendFactory.Decorate(flaky, Fast);

        var buffer = new byte[2];
        await backend.ReadAsync(handle, 1, buffer);
        Assert.Equal(new byte[] { 2, 3 }, buffer);
        Assert.Equal(4, flaky.Calls);
    }

    [Fact]
    public async Task RetriesGiveUpAfterTheLimitWithTheTransientError()
    {
        var flaky = new FlakyBackend(NewLocal(), failures: 100);
        var backend = BackendFactory.Decorate(flaky, Fast);
        await Assert.ThrowsAsync<TransientBackendException>(() => backend.StatAsync(FileHandle.Config));
        Assert.Equal(1 + Fast.MaxRetries, flaky.Calls);
    }

    [Fact]
    public async Task PermanentErrorsAreNotRetried()
    {
        var flaky = new FlakyBackend(NewLocal(), failures: 0);
        var backend = BackendFactory.Decorate(flaky, Fast);
        await Assert.ThrowsAsync<BackendFileNotFoundException>(() => backend.StatAsync(NewHandle(FileType.Index)));
        Assert.Equal(1, flaky.Calls);
    }

    [Fact]
    public async Task SaveWhoseAnswerWasLostIsNotReportedAsDuplicate()
    {
        var local = NewLocal();
        var flaky = new FlakyBackend(local, failures: 1) { FailAfterInnerCall = true };
        var backend = BackendFactory.Decorate(flaky, Fast);
        var handle = NewHandle(FileType.Snapshot);
        await backend.SaveAsync(handle, new byte[] { 7, 7, 7 });
        Assert.Equal(new byte[] { 7, 7, 7 }, await local.ReadAllAsync(handle));
    }

    [Fact]
    public async Task ListingRetriedMidwayYieldsEachFileOnce()
    {
        var local = NewLocal();
        for (var i = 0; i < 20; i++)
            await local.SaveAsync(NewHandle(FileType.Index), new byte[i + 1]);
        var flaky = new FlakyBackend(local, failures: 2) { FailAfterInnerCall = true };
        var backend = BackendFactory.Decorate(flaky, Fast);
        var names = new List<string>();
        await foreach (var f in backend.ListAsync(FileType.Index)) names.Add(f.Name);
        Assert.Equal(20, names.Distinct().Count());
        Assert.Equal(20, names.Count);
    }

    [Fact]
    public async Task StalledRequestTimesOutAndIsRetried()
    {
        var local = NewLocal();
        var handle = NewHandle(FileType.Key);
        await local.SaveAsync(handle, new byte[] { 5 });
        var flaky = new FlakyBackend(local, failures: 1) { Stall = true };
        var backend = BackendFactory.Decorate(flaky, Fast with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(1, (await backend.StatAsync(handle)).Size);
        Assert.Equal(2, flaky.Calls);
    }

    [Fact]
    public async Task ConnectionLimitCapsRequestsInFlight()
    {
        var local = new LocalBackend(_dir.Combine("repo"), connections: 3);
        local.CreateLayout();
        var handle = NewHandle(FileType.Pack);
        await local.SaveAsync(handle, new byte[4096]);
        var flaky = new FlakyBackend(local, failures: 0);
        var backend = new ConnectionLimitingBackend(flaky, flaky.Connections);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => backend.ReadAsync(handle, 0, new byte[4096])));
        Assert.Equal(50, flaky.Calls);
        Assert.InRange(flaky.MaxInFlight, 1, 3);
    }

    [Fact]
    public void ConnectionsOptionReachesTheBackend()
    {
        var options = BackendOptions.FromOptionStrings(["rest.connections=9"]);
        var backend = BackendFactory.Create("rest:http://127.0.0.1:1/repo", new DictionaryCredentialSource(new Dictionary<string, string>()), options);
        Assert.Equal(9, backend.Connections);
    }

    [Fact]
    public void SwiftWithoutCredentialsIsAOneLineError()
    {
        var error = Assert.Throws<BackendException>(() => BackendFactory.Create("swift:c:/p", new DictionaryCredentialSource(new Dictionary<string, string>())));
        Assert.Contains("ST_AUTH", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
