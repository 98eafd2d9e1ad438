using StashMount.Backends.S3;

namespace StashMount.Backends.Tests.S3;

public sealed class S3BackendErrorTests : IClassFixture<S3rverFixture>
{
    private readonly S3rverFixture _server;

    public S3BackendErrorTests(S3rverFixture server) => _server = server;

    [Fact]
    public async Task MissingBucketIsNamed()
    {
        var location = RepositoryLocation.Parse($"s3:http://127.0.0.1:{_server.Port}/no-such-bucket/repo");
        await using var backend = new S3Backend(location, _server.Credentials, BackendOptions.Default);
        var error = await Assert.ThrowsAnyAsync<BackendException>(() => backend.StatAsync(FileHandle.Config));
        Assert.IsNotType<BackendFileNotFoundException>(error);
        Assert.Contains("bucket \"no-such-bucket\" does not exist", error.Message);
    }

    [Fact]
    public async Task WrongKeysAreRefusedAndTheSecretIsNotShown()
    {
        var credentials = new DictionaryCredentialSource(new Dictionary<string, string>
        {
            [CredentialNames.AwsAccessKeyId] = "NOT-S3RVER",
            [CredentialNames.AwsSecretAccessKey] = "not-the-secret-xyz",
        });
        await using var backend = new S3Backend(_server.LocationFor("repo"), credentials, BackendOptions.Default);
        var error = await Assert.ThrowsAnyAsync<BackendException>(() => backend.SaveAsync(new FileHandle(FileType.Lock, new string('a', 64)), new byte[] { 1 }));
        Assert.True(error.Message.Contains("bad credentials") || error.Message.Contains("access denied"), error.Message);
        Assert.DoesNotContain("not-the-secret-xyz", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task SessionTokenIsAccepted()
    {
        var credentials = new DictionaryCredentialSource(new Dictionary<string, string>
        {
            [CredentialNames.AwsAccessKeyId] = S3rverFixture.Key,
            [CredentialNames.AwsSecretAccessKey] = S3rverFixture.Key,
            [CredentialNames.AwsSessionToken] = "session-token",
        });
        await using var backend = new S3Backend(_server.LocationFor($"t-{Guid.NewGuid():N}"), credentials, BackendOptions.Default);
        await backend.SaveAsync(FileHandle.Config, new byte[] { 9 });
        Assert.Equal(1, (await backend.StatAsync(FileHandle.Config)).Size);
    }
}
