using System.Security.Cryptography.X509Certificates;
using StashMount.Backends;
using StashMount.Backends.Azure;
using StashMount.Backends.S3;
using StashMount.TestSupport;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.EndToEnd.Tests.Backends;

/// <summary>
/// restic's --cacert (repeatable) and --insecure-tls on the stashmount command line, against real HTTPS servers
/// whose certificate a private CA issued: REST (rclone), S3 (s3rver) and Azure (Azurite).
/// </summary>
[Collection("Backends end to end")]
public sealed class TlsFlagsTests : IDisposable
{
    private readonly TempDirectory _temp = new("stashmount-e2e-tls");
    private readonly TestCertificates _ca = new("stashmount-e2e-ca");
    private readonly StoragePeers.Tls _serverTls;
    private readonly string _caFile;
    private readonly string _otherCaFile;

    public TlsFlagsTests()
    {
        _serverTls = new StoragePeers.Tls(_temp.Combine("server.crt"), _temp.Combine("server.key"));
        File.WriteAllText(_serverTls.CertificateFile, _ca.Server.ExportCertificatePem());
        using (var key = _ca.Server.GetECDsaPrivateKey()!)
            File.WriteAllText(_serverTls.KeyFile, key.ExportPkcs8PrivateKeyPem());
        _caFile = _temp.Combine("ca.crt");
        File.WriteAllText(_caFile, _ca.AuthorityPem);
        using var other = new TestCertificates("unrelated-ca");
        _otherCaFile = _temp.Combine("other-ca.crt");
        File.WriteAllText(_otherCaFile, other.AuthorityPem);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _temp.Dispose();
    }

    private Task<ProcessResult> StashMountAsync(string repository, IDictionary<string, string?> environment, params string[] arguments)
    {
        var env = new Dictionary<string, string?>(environment) { ["HOME"] = _temp.Path };
        return new StashMountCli(repository).RunAsync(arguments, env, TimeSpan.FromMinutes(3));
    }

    private static void AssertOneLineFailure(ProcessResult result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    /// <summary>Untrusted: one-line TLS failure; --cacert (also after an unrelated CA) and --insecure-tls: listed.</summary>
    private async Task AssertTlsFlagsAsync(string repository, IDictionary<string, string?> environment, string expectedSnapshot)
    {
        AssertOneLineFailure(await StashMountAsync(repository, environment, "snapshots", "--json"), "TLS failure");

        var trusted = await StashMountAsync(repository, environment, "--cacert", _otherCaFile, "--cacert", _caFile, "snapshots", "--json");
        Assert.True(trusted.ExitCode == 0, trusted.StandardError);
        Assert.Contains(expectedSnapshot, trusted.StandardOutput);

        var insecure = await StashMountAsync(repository, environment, "snapshots", "--insecure-tls", "--json");
        Assert.True(insecure.ExitCode == 0, insecure.StandardError);
        Assert.Contains(expectedSnapshot, insecure.StandardOutput);
    }

    private async Task<(string Repository, string SnapshotId)> LocalRepositoryAsync()
    {
        var source = _temp.CreateSubdirectory("source");
        await File.WriteAllTextAsync(Path.Combine(source, "greeting.txt"), "hello over TLS\n");
        var restic = new ResticCli(_temp.Combine("local-repo"));
        await restic.InitAsync();
        var id = await restic.FullSnapshotIdAsync(await restic.BackupAsync(source, ["."]));
        return (restic.Repository, id);
    }

    [Fact]
    public async Task RestOverHttpsWithAPrivateCa()
    {
        await using var server = await StoragePeers.RcloneRestAsync(_temp.CreateSubdirectory("rclone"), _serverTls);
        var repository = $"rest:https://127.0.0.1:{server.Port}/tls-repo/";
        // restic itself, given the same CA, writes the repository: the server's TLS setup is sound.
        var restic = new ResticCli(repository);
        var tlsEnvironment = new Dictionary<string, string?> { ["AWS_CA_BUNDLE"] = null };
        (await restic.RunAsync(["--cacert", _caFile, "init"], tlsEnvironment)).EnsureSuccess("restic init over https");
        var source = _temp.CreateSubdirectory("source");
        await File.WriteAllTextAsync(Path.Combine(source, "greeting.txt"), "hello over TLS\n");
        (await ProcessRunner.RunAsync("restic", ["--no-cache", "--cacert", _caFile, "backup", "."], restic.Environment(), source)).EnsureSuccess("restic backup over https");
        var snapshots = (await restic.RunAsync(["--cacert", _caFile, "snapshots", "--json"], tlsEnvironment)).EnsureSuccess("restic snapshots");
        using var document = System.Text.Json.JsonDocument.Parse(snapshots.StandardOutput);
        var id = document.RootElement[0].GetProperty("id").GetString()!;

        await AssertTlsFlagsAsync(repository, new Dictionary<string, string?>(), id);

        var missingCa = await StashMountAsync(repository, new Dictionary<string, string?>(), "--cacert", _temp.Combine("no-such.crt"), "snapshots");
        AssertOneLineFailure(missingCa, "no-such.crt");
        var notPem = _temp.Combine("not-pem.crt");
        await File.WriteAllTextAsync(notPem, "this is not a certificate\n");
        AssertOneLineFailure(await StashMountAsync(repository, new Dictionary<string, string?>(), "--cacert", notPem, "snapshots"), "--cacert");
    }

    [Fact]
    public async Task S3OverHttpsWithAPrivateCa()
    {
        var (local, id) = await LocalRepositoryAsync();
        await using var server = await StoragePeers.S3rverAsync(_temp.CreateSubdirectory("s3rver"), _serverTls);
        var repository = $"s3:https://127.0.0.1:{server.Port}/{StoragePeers.S3Bucket}/tls/demo";
        var keys = StoragePeers.S3Keys();
        var options = BackendOptions.Default with { CaCertFiles = [_caFile] };
        await using (var s3 = new S3Backend(RepositoryLocation.Parse(repository), StoragePeers.AsCredentials(keys), options))
            await RepositoryUpload.CopyAsync(local, s3);
        await AssertTlsFlagsAsync(repository, keys, id);
    }

    [Fact]
    public async Task AzureOverHttpsWithAPrivateCa()
    {
        var (local, id) = await LocalRepositoryAsync();
        await using var server = await StoragePeers.AzuriteAsync(_temp.CreateSubdirectory("azurite"), _serverTls);
        const string repository = "azure:tls:/stash/demo";
        var keys = StoragePeers.AzureKeys(server, "https");
        var options = BackendOptions.Default with { CaCertFiles = [_caFile] };
        await using (var azure = new AzureBackend(RepositoryLocation.Parse(repository), StoragePeers.AsCredentials(keys), options))
        {
            await azure.CreateContainerAsync();
            await RepositoryUpload.CopyAsync(local, azure);
        }
        await AssertTlsFlagsAsync(repository, keys, id);
    }
}
