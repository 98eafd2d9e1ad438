using StashMount.Backends;
using StashMount.Backends.Azure;
using StashMount.Backends.S3;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Backends;

/// <summary>restic-written repositories on real storage servers, listed by the stashmount binary through the backends.</summary>
[Collection("Backends end to end")]
public sealed class RemoteRepositoryTests : IDisposable
{
    private readonly TempDirectory _temp = new("stashmount-e2e-backends");

    public void Dispose() => _temp.Dispose();

    private async Task<string> BackupAsync(ResticCli restic, IDictionary<string, string?>? environment = null)
    {
        var source = _temp.CreateSubdirectory("source-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(Path.Combine(source, "hello.txt"), "hello over the wire\n");
        await File.WriteAllBytesAsync(Path.Combine(source, "blob.bin"), RandomBytes(3 * 1024 * 1024));
        (await restic.RunAsync(["init", "--repository-version", "2"], environment)).EnsureSuccess("restic init");
        var backup = await restic.RunAsync(["backup", "--json", "--host", "e2e", "."], environment);
        backup.EnsureSuccess("restic backup");
        (await restic.RunAsync(["backup", "--host", "e2e", "--tag", "second", "."], environment)).EnsureSuccess("restic backup");
        var snapshots = await restic.RunAsync(["snapshots", "--json"], environment);
        snapshots.EnsureSuccess("restic snapshots");
        return snapshots.StandardOutput;
    }

    private static byte[] RandomBytes(int length)
    {
        var data = new byte[length];
        Random.Shared.NextBytes(data);
        return data;
    }

    private Task<ProcessResult> StashMountAsync(string repository, IDictionary<string, string?> environment, params string[] arguments)
    {
        var env = new Dictionary<string, string?>(environment)
        {
            ["RESTIC_REPOSITORY"] = repository,
            ["RESTIC_PASSWORD"] = ResticCli.Password,
            ["RESTIC_PASSWORD_FILE"] = null,
            ["HOME"] = _temp.Path,
        };
        return ProcessRunner.RunAsync(RepositoryPaths.StashMountBinary, arguments, env, timeout: TimeSpan.FromMinutes(3));
    }

    private static IEnumerable<string> SnapshotIds(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Order().ToList();
    }

    [Fact]
    public async Task ResticWritesOverRestAndStashMountListsTheSnapshots()
    {
        var data = _temp.CreateSubdirectory("rclone");
        await using var server = await PeerServer.StartAsync("rclone", port => ["serve", "restic", "--addr", $"127.0.0.1:{port}", data],
            new Dictionary<string, string?> { ["AWS_CA_BUNDLE"] = null, ["RCLONE_CONFIG"] = "/dev/null" });
        var repository = $"rest:http://127.0.0.1:{server.Port}/stash/demo/";
        var expected = SnapshotIds(await BackupAsync(new ResticCli(repository)));

        var result = await StashMountAsync(repository, new Dictionary<string, string?>(), "snapshots", "--json");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(expected, SnapshotIds(result.StandardOutput));

        var missing = await StashMountAsync($"rest:http://127.0.0.1:{server.Port}/nothing-here/", new Dictionary<string, string?>(), "snapshots");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Single(missing.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task ResticRepositoryUploadedToS3rverIsListedOverS3()
    {
        var local = _temp.Combine("local-repo");
        var expected = SnapshotIds(await BackupAsync(new ResticCli(local)));
        await using var server = await PeerServer.StartAsync("s3rver",
            port => ["-d", _temp.CreateSubdirectory("s3rver"), "-a", "127.0.0.1", "-p", port.ToString(), "--configure-bucket", "backups", "--silent"],
            new Dictionary<string, string?> { ["NODE_OPTIONS"] = "--openssl-legacy-provider" });
        var repository = $"s3:http://127.0.0.1:{server.Port}/backups/stash/demo";
        var keys = new Dictionary<string, string?>
        {
            [CredentialNames.AwsAccessKeyId] = "S3RVER",
            [CredentialNames.AwsSecretAccessKey] = "S3RVER",
            ["AWS_CA_BUNDLE"] = null,
        };
        await using (var s3 = new S3Backend(RepositoryLocation.Parse(repository), new DictionaryCredentialSource(keys.ToDictionary(k => k.Key, k => k.Value ?? "")), BackendOptions.Default))
            await RepositoryUpload.CopyAsync(local, s3);

        var result = await StashMountAsync(repository, keys, "snapshots", "--json");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(expected, SnapshotIds(result.StandardOutput));

        var noBucket = await StashMountAsync($"s3:http://127.0.0.1:{server.Port}/missing-bucket/x", keys, "snapshots");
        Assert.Equal(1, noBucket.ExitCode);
        Assert.Contains("bucket \"missing-bucket\" does not exist", noBucket.StandardError);
        Assert.Single(noBucket.StandardError.TrimEnd('\n').Split('\n'));

        var badKeys = await StashMountAsync(repository, new Dictionary<string, string?>(keys) { [CredentialNames.AwsAccessKeyId] = "WRONG" }, "snapshots");
        Assert.Equal(1, badKeys.ExitCode);
        Assert.Single(badKeys.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task ResticRepositoryUploadedToAzuriteIsListedOverAzure()
    {
        var local = _temp.Combine("local-repo");
        var expected = SnapshotIds(await BackupAsync(new ResticCli(local)));
        await using var server = await PeerServer.StartAsync("azurite-blob",
            port => ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", _temp.CreateSubdirectory("azurite"), "--silent", "--skipApiVersionCheck", "--loose"]);
        var secrets = new Dictionary<string, string?>
        {
            [CredentialNames.AzureAccountName] = "devstoreaccount1",
            // Azurite's documented development-account key.
            [CredentialNames.AzureAccountKey] = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
            [CredentialNames.AzureEndpoint] = $"http://127.0.0.1:{server.Port}/devstoreaccount1",
        };
        const string repository = "azure:stash:/backup/demo";
        await using (var azure = new AzureBackend(RepositoryLocation.Parse(repository), new DictionaryCredentialSource(secrets.ToDictionary(k => k.Key, k => k.Value ?? "")), BackendOptions.Default))
        {
            await azure.CreateContainerAsync();
            await RepositoryUpload.CopyAsync(local, azure);
        }

        // Credentials come from a mounted Secret folder, as in a Stash pod.
        var secretDir = _temp.CreateSubdirectory("secret");
        foreach (var (name, value) in secrets)
            await File.WriteAllTextAsync(Path.Combine(secretDir, name), value + "\n");
        var result = await StashMountAsync(repository, new Dictionary<string, string?>(), "--secret-dir", secretDir, "snapshots", "--json");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(expected, SnapshotIds(result.StandardOutput));
    }
}
