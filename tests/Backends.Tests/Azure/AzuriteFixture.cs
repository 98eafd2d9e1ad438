using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Azure;

/// <summary>One azurite-blob for a test class, with Azurite's documented development account.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Account = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TempDirectory _dir = new("stashmount-azurite");
    private PeerServer? _server;

    public string Endpoint => $"http://127.0.0.1:{_server!.Port}/{Account}";

    public ICredentialSource Credentials(string? key = AccountKey) => new DictionaryCredentialSource(new Dictionary<string, string>
    {
        [CredentialNames.AzureAccountName] = Account,
        [CredentialNames.AzureAccountKey] = key ?? "",
        [CredentialNames.AzureEndpoint] = Endpoint,
    });

    public async Task InitializeAsync() =>
        _server = await PeerServer.StartAsync("azurite-blob",
            port => ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", _dir.Path, "--silent", "--skipApiVersionCheck", "--loose"]);

    public async Task DisposeAsync()
    {
        if (_server != null)
            await _server.DisposeAsync();
        _dir.Dispose();
    }
}
