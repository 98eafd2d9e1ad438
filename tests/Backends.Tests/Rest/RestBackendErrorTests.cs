using StashMount.Backends.Rest;
using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Rest;

public sealed class RestBackendErrorTests
{
    private static readonly ICredentialSource NoCredentials = new DictionaryCredentialSource(new Dictionary<string, string>());

    [Fact]
    public async Task WrongPasswordIsBadCredentialsAndTheRightOneWorks()
    {
        using var dir = new TempDirectory();
        await using var server = await PeerServer.StartAsync("rclone",
            port => ["serve", "restic", "--addr", $"127.0.0.1:{port}", "--user", "alice", "--pass", "right-one", dir.Path],
            new Dictionary<string, string?> { ["AWS_CA_BUNDLE"] = null, ["RCLONE_CONFIG"] = "/dev/null" });

        var wrong = new RestBackend(RepositoryLocation.Parse($"rest:http://alice:wrong-one@127.0.0.1:{server.Port}/repo"), NoCredentials, BackendOptions.Default);
        var error = await Assert.ThrowsAnyAsync<BackendException>(() => wrong.StatAsync(FileHandle.Config));
        Assert.Contains("bad credentials", error.Message);
        Assert.DoesNotContain("wrong-one", error.Message);

        // Credentials from REST_SERVER_USERNAME/PASSWORD when the URL has none, as Stash's Secret provides them.
        var fromSecret = new DictionaryCredentialSource(new Dictionary<string, string>
        {
            [CredentialNames.RestServerUsername] = "alice",
            [CredentialNames.RestServerPassword] = "right-one",
        });
        await using var right = new RestBackend(RepositoryLocation.Parse($"rest:http://127.0.0.1:{server.Port}/repo"), fromSecret, BackendOptions.Default);
        await right.CreateRepositoryAsync();
        await right.SaveAsync(FileHandle.Config, new byte[] { 1, 2, 3 });
        Assert.Equal(3, (await right.StatAsync(FileHandle.Config)).Size);
    }

    [Fact]
    public async Task UnreachableServerFailsPromptlyAsTransient()
    {
        var port = PeerServer.FreePort();
        await using var backend = new RestBackend(RepositoryLocation.Parse($"rest:http://127.0.0.1:{port}/repo"), NoCredentials, BackendOptions.Default);
        var error = await Assert.ThrowsAsync<TransientBackendException>(() => backend.StatAsync(FileHandle.Config));
        Assert.Contains("cannot reach", error.Message);
    }
}
