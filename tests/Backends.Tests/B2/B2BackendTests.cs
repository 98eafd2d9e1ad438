using StashMount.Backends.B2;

namespace StashMount.Backends.Tests.B2;

/// <summary>B2-specific behaviour: token renewal, versions on removal, hide mode, one-line errors.</summary>
public sealed class B2BackendTests : IClassFixture<LoopbackB2Server>
{
    private readonly LoopbackB2Server _server;

    public B2BackendTests(LoopbackB2Server server) => _server = server;

    internal static B2Backend Open(LoopbackB2Server server, string repository, string? key = null, Dictionary<string, string>? options = null)
    {
        var credentials = new DictionaryCredentialSource(new Dictionary<string, string>
        {
            [CredentialNames.B2AccountId] = server.AccountId,
            [CredentialNames.B2AccountKey] = key ?? server.AccountKey,
        });
        var extended = new Dictionary<string, string>(options ?? []) { ["b2.auth-url"] = server.Endpoint };
        return new B2Backend(RepositoryLocation.Parse(repository), credentials, BackendOptions.Default with { Extended = extended });
    }

    private static FileHandle NewPack() => new(FileType.Pack, Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ExpiredTokensAreRenewedForCallsDownloadsAndUploads()
    {
        await using var backend = Open(_server, $"b2:{_server.Bucket}:/renew-{Guid.NewGuid():N}");
        var first = NewPack();
        await backend.SaveAsync(first, new byte[] { 1, 2, 3 });
        var before = _server.Authorizations;
        _server.ExpireTokens();

        var buffer = new byte[2];
        await backend.ReadAsync(first, 1, buffer);
        Assert.Equal(new byte[] { 2, 3 }, buffer);
        Assert.Equal(3, (await backend.StatAsync(first)).Size);
        Assert.True(_server.Authorizations > before);

        _server.ExpireTokens();
        // The pooled upload URL's token expired too: the save fails as transient, and the retry layer tries again.
        var second = NewPack();
        await using var retrying = BackendFactory.Decorate(Open(_server, backend.Location), BackendOptions.Default with { RetryBaseDelay = TimeSpan.FromMilliseconds(5) });
        await retrying.SaveAsync(second, new byte[] { 9 });
        Assert.Equal(1, (await retrying.StatAsync(second)).Size);
    }

    [Fact]
    public async Task RemoveDeletesEveryVersionAndHideKeepsThem()
    {
        var prefix = $"versions-{Guid.NewGuid():N}";
        await using var backend = Open(_server, $"b2:{_server.Bucket}:/{prefix}");
        var handle = NewPack();
        await backend.SaveAsync(handle, new byte[] { 1 });
        await backend.RemoveAsync(handle);
        await backend.SaveAsync(handle, new byte[] { 2, 2 });
        var fileName = $"{prefix}/data/{handle.Name[..2]}/{handle.Name}";
        Assert.Equal(1, _server.VersionCount(fileName));
        await backend.RemoveAsync(handle);
        Assert.Equal(0, _server.VersionCount(fileName));

        await using var hiding = Open(_server, $"b2:{_server.Bucket}:/{prefix}", options: new() { ["b2.hide"] = "true" });
        await hiding.SaveAsync(handle, new byte[] { 3 });
        await hiding.RemoveAsync(handle);
        await Assert.ThrowsAsync<BackendFileNotFoundException>(() => hiding.StatAsync(handle));
        Assert.Equal(2, _server.VersionCount(fileName));
    }

    [Fact]
    public async Task WrongKeyMissingBucketAndMissingVariablesAreOneLine()
    {
        await using var wrongKey = Open(_server, $"b2:{_server.Bucket}:/x", key: "wrong");
        var bad = await Assert.ThrowsAnyAsync<BackendException>(() => wrongKey.StatAsync(FileHandle.Config));
        Assert.IsNotType<TransientBackendException>(bad);
        Assert.Contains("B2_ACCOUNT_KEY", bad.Message);
        Assert.DoesNotContain("wrong", bad.Message);

        await using var noBucket = Open(_server, "b2:no-such-bucket:/x");
        var missing = await Assert.ThrowsAnyAsync<BackendException>(() => noBucket.StatAsync(FileHandle.Config));
        Assert.Contains("bucket \"no-such-bucket\" does not exist", missing.Message);

        var unset = Assert.Throws<BackendException>(() => new B2Backend(RepositoryLocation.Parse("b2:b:/p"), new DictionaryCredentialSource(new Dictionary<string, string>()), BackendOptions.Default));
        Assert.Contains("B2_ACCOUNT_ID", unset.Message);
        foreach (var message in new[] { bad.Message, missing.Message, unset.Message })
            Assert.DoesNotContain('\n', message);
    }
}
