using StashMount.Backends.Azure;

namespace StashMount.Backends.Tests.Azure;

public sealed class AzureBackendErrorTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _server;

    public AzureBackendErrorTests(AzuriteFixture server) => _server = server;

    [Fact]
    public async Task MissingContainerIsNamed()
    {
        await using var backend = new AzureBackend(RepositoryLocation.Parse("azure:nosuchcontainer:/repo"), _server.Credentials(), BackendOptions.Default);
        var error = await Assert.ThrowsAnyAsync<BackendException>(() => backend.StatAsync(FileHandle.Config));
        Assert.IsNotType<BackendFileNotFoundException>(error);
        Assert.Contains("container \"nosuchcontainer\" does not exist", error.Message);
    }

    [Fact]
    public async Task WrongKeyIsRefusedAndTheKeyIsNotShown()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        await using var backend = new AzureBackend(RepositoryLocation.Parse("azure:any:/repo"), _server.Credentials(wrongKey), BackendOptions.Default);
        var error = await Assert.ThrowsAnyAsync<BackendException>(() => backend.StatAsync(FileHandle.Config));
        // Azure says AuthenticationFailed; Azurite says AuthorizationFailure for the same bad signature.
        Assert.True(error.Message.Contains("bad credentials") || error.Message.Contains("access denied"), error.Message);
        Assert.DoesNotContain(wrongKey, error.Message);
    }

    [Fact]
    public void MissingKeyAndSasIsAClearError()
    {
        var credentials = new DictionaryCredentialSource(new Dictionary<string, string> { [CredentialNames.AzureAccountName] = "acct" });
        var error = Assert.Throws<BackendException>(() => new AzureBackend(RepositoryLocation.Parse("azure:c:/r"), credentials, BackendOptions.Default));
        Assert.Contains("AZURE_ACCOUNT_KEY", error.Message);
    }
}
