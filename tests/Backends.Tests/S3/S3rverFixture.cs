using StashMount.TestSupport;

namespace StashMount.Backends.Tests.S3;

/// <summary>One s3rver with a bucket for a test class; each test uses its own prefix in that bucket.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "stashmount";
    public const string Key = "S3RVER";

    private readonly TempDirectory _dir = new("stashmount-s3rver");
    private PeerServer? _server;

    public int Port => _server!.Port;

    public ICredentialSource Credentials { get; } = new DictionaryCredentialSource(new Dictionary<string, string>
    {
        [CredentialNames.AwsAccessKeyId] = Key,
        [CredentialNames.AwsSecretAccessKey] = Key,
    });

    public RepositoryLocation LocationFor(string prefix) => RepositoryLocation.Parse($"s3:http://127.0.0.1:{Port}/{Bucket}/{prefix}");

    public async Task InitializeAsync() =>
        _server = await PeerServer.StartAsync("s3rver",
            port => ["-d", _dir.Path, "-a", "127.0.0.1", "-p", port.ToString(), "--configure-bucket", Bucket, "--silent"],
            // s3rver encrypts continuation tokens with DES, which Node 20's OpenSSL 3 only offers from its legacy provider.
            new Dictionary<string, string?> { ["NODE_OPTIONS"] = "--openssl-legacy-provider" });

    public async Task DisposeAsync()
    {
        if (_server != null)
            await _server.DisposeAsync();
        _dir.Dispose();
    }
}
