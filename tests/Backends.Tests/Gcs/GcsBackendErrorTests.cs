using StashMount.Backends.Gcs;
using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Gcs;

public sealed class GcsBackendErrorTests : IClassFixture<LoopbackGcsServer>
{
    private readonly LoopbackGcsServer _server;

    public GcsBackendErrorTests(LoopbackGcsServer server) => _server = server;

    private ICredentialSource KeyFile(TempDirectory dir)
    {
        var file = dir.Combine("sa.json");
        File.WriteAllText(file, _server.ServiceAccountJson());
        return new DictionaryCredentialSource(new Dictionary<string, string>
        {
            [CredentialNames.GoogleApplicationCredentials] = file,
            [CredentialNames.StorageEmulatorHost] = _server.Endpoint,
        });
    }

    [Fact]
    public async Task KeyFileFromGoogleApplicationCredentialsWorks()
    {
        using var dir = new TempDirectory();
        await using var backend = new GcsBackend(RepositoryLocation.Parse($"gs:{_server.Bucket}:/from-file"), KeyFile(dir), BackendOptions.Default);
        await backend.SaveAsync(FileHandle.Config, new byte[] { 1, 2 });
        Assert.Equal(2, (await backend.StatAsync(FileHandle.Config)).Size);
        Assert.True(_server.TokensIssued > 0);
    }

    [Fact]
    public async Task MissingBucketIsNamed()
    {
        using var dir = new TempDirectory();
        await using var backend = new GcsBackend(RepositoryLocation.Parse("gs:no-such-bucket:/repo"), KeyFile(dir), BackendOptions.Default);
        var error = await Assert.ThrowsAnyAsync<BackendException>(() => backend.StatAsync(FileHandle.Config));
        Assert.IsNotType<BackendFileNotFoundException>(error);
        Assert.Contains("bucket \"no-such-bucket\" does not exist", error.Message);
    }

    [Fact]
    public async Task TokenForAnotherKeyIsRefused()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var json = _server.ServiceAccountJson().Replace(System.Text.Json.JsonSerializer.Serialize(_server.Key.ExportPkcs8PrivateKeyPem())[1..^1],
            System.Text.Json.JsonSerializer.Serialize(other.ExportPkcs8PrivateKeyPem())[1..^1], StringComparison.Ordinal);
        var credentials = new DictionaryCredentialSource(new Dictionary<string, string>
        {
            [CredentialNames.GoogleServiceAccountJsonKey] = json,
            [CredentialNames.StorageEmulatorHost] = _server.Endpoint,
        });
        await using var backend = new GcsBackend(RepositoryLocation.Parse($"gs:{_server.Bucket}:/repo"), credentials, BackendOptions.Default);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => backend.StatAsync(FileHandle.Config));
        Assert.DoesNotContain("PRIVATE KEY", error.Message);
    }
}
