using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Rest;

/// <summary>One `rclone serve restic` for a test class; each test uses its own repository sub-path.</summary>
public sealed class RcloneRestServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("stashmount-rclone");
    private PeerServer? _server;

    public string Url => $"http://127.0.0.1:{_server!.Port}/";

    public string DataDirectory => _dir.Path;

    public async Task InitializeAsync() =>
        _server = await PeerServer.StartAsync("rclone", port => ["serve", "restic", "--addr", $"127.0.0.1:{port}", _dir.Path],
            new Dictionary<string, string?> { ["AWS_CA_BUNDLE"] = null, ["RCLONE_CONFIG"] = "/dev/null" });

    public async Task DisposeAsync()
    {
        if (_server != null)
            await _server.DisposeAsync();
        _dir.Dispose();
    }
}
