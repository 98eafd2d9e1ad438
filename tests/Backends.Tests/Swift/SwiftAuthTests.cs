using StashMount.Backends.Swift;

namespace StashMount.Backends.Tests.Swift;

/// <summary>Every way restic's Swift variables authenticate, a token that expires mid-use, and one-line failures.</summary>
public sealed class SwiftAuthTests : IClassFixture<LoopbackSwiftServer>
{
    private readonly LoopbackSwiftServer _server;

    public SwiftAuthTests(LoopbackSwiftServer server) => _server = server;

    internal static Dictionary<string, string> V1(LoopbackSwiftServer server) => new()
    {
        ["ST_AUTH"] = $"{server.Endpoint}/auth/v1.0",
        ["ST_USER"] = $"{server.Project}:{server.User}",
        ["ST_KEY"] = server.Password,
    };

    private Dictionary<string, string> Variables(string kind) => kind switch
    {
        "v1" => V1(_server),
        "v2" => new()
        {
            ["OS_AUTH_URL"] = $"{_server.Endpoint}/v2.0",
            ["OS_USERNAME"] = _server.User,
            ["OS_PASSWORD"] = _server.Password,
            ["OS_TENANT_NAME"] = _server.Project,
            ["OS_REGION_NAME"] = "RegionTwo",
        },
        "v3" => new()
        {
            ["OS_AUTH_URL"] = $"{_server.Endpoint}/v3",
            ["OS_USERNAME"] = _server.User,
            ["OS_PASSWORD"] = _server.Password,
            ["OS_USER_DOMAIN_NAME"] = _server.Domain,
            ["OS_PROJECT_NAME"] = _server.Project,
            ["OS_PROJECT_DOMAIN_NAME"] = _server.Domain,
            ["OS_REGION_NAME"] = "RegionOne",
        },
        "v3-application-credential" => new()
        {
            ["OS_AUTH_URL"] = $"{_server.Endpoint}/v3",
            ["OS_APPLICATION_CREDENTIAL_ID"] = _server.ApplicationCredentialId,
            ["OS_APPLICATION_CREDENTIAL_SECRET"] = _server.ApplicationCredentialSecret,
        },
        "token" => new() { ["OS_STORAGE_URL"] = _server.StorageUrl, ["OS_AUTH_TOKEN"] = _server.IssueToken() },
        _ => throw new ArgumentException(kind),
    };

    private SwiftBackend Open(Dictionary<string, string> variables) =>
        new(RepositoryLocation.Parse($"swift:{_server.Container}:/auth/{Guid.NewGuid():N}"), new DictionaryCredentialSource(variables), BackendOptions.Default);

    private static FileHandle NewPack() => new(FileType.Pack, Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    [InlineData("v3")]
    [InlineData("v3-application-credential")]
    [InlineData("token")]
    public async Task EachAuthenticationSavesListsAndReads(string kind)
    {
        await using var backend = Open(Variables(kind));
        var handle = NewPack();
        await backend.SaveAsync(handle, new byte[] { 5, 6, 7 });
        Assert.Equal(handle.Name, Assert.Single(await backend.ListAllAsync(FileType.Pack)).Name);
        var buffer = new byte[2];
        await backend.ReadAsync(handle, 1, buffer);
        Assert.Equal(new byte[] { 6, 7 }, buffer);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v3")]
    public async Task AnExpiredTokenIsRenewed(string kind)
    {
        await using var backend = Open(Variables(kind));
        var handle = NewPack();
        await backend.SaveAsync(handle, new byte[] { 1 });
        _server.ExpireTokens();
        Assert.Equal(1, (await backend.StatAsync(handle)).Size);
    }

    [Theory]
    [InlineData("v1", "ST_KEY")]
    [InlineData("v2", "OS_PASSWORD")]
    [InlineData("v3", "OS_PASSWORD")]
    public async Task AWrongPasswordIsOneLineWithoutTheSecret(string kind, string variable)
    {
        var variables = Variables(kind);
        variables[variable] = "not-the-password";
        await using var backend = Open(variables);
        var error = await Assert.ThrowsAnyAsync<BackendException>(() => backend.StatAsync(FileHandle.Config));
        Assert.IsNotType<TransientBackendException>(error);
        Assert.Contains("bad credentials", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task MissingVariablesAndMissingContainerAreOneLine()
    {
        var none = Assert.Throws<BackendException>(() => Open([]));
        Assert.Contains("ST_AUTH", none.Message);
        await using var backend = new SwiftBackend(RepositoryLocation.Parse("swift:no-such-container:/x"), new DictionaryCredentialSource(V1(_server)), BackendOptions.Default);
        var missing = await Assert.ThrowsAnyAsync<BackendException>(() => backend.ListAllAsync(FileType.Snapshot));
        Assert.Contains("container \"no-such-container\" does not exist", missing.Message);
    }
}
