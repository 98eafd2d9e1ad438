using StashMount.Backends;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Backends;

/// <summary>
/// Starts the real storage servers the backend tests talk to (rclone's REST server, s3rver, Azurite), over HTTP or,
/// given a certificate and key (PEM files), over HTTPS; and the credentials each expects.
/// </summary>
internal static class StoragePeers
{
    public const string S3Bucket = "backups";

    // Azurite's documented development-account key.
    public const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public sealed record Tls(string CertificateFile, string KeyFile);

    public static Task<PeerServer> RcloneRestAsync(string dataDirectory, Tls? tls = null)
    {
        // rclone's S3 code refuses to start with AWS_CA_BUNDLE set (it is, on these machines); no user config either.
        var environment = new Dictionary<string, string?> { ["AWS_CA_BUNDLE"] = null, ["RCLONE_CONFIG"] = "/dev/null" };
        return PeerServer.StartAsync("rclone", port =>
        {
            List<string> args = ["serve", "restic", "--addr", $"127.0.0.1:{port}"];
            if (tls != null) args.AddRange(["--cert", tls.CertificateFile, "--key", tls.KeyFile]);
            args.Add(dataDirectory);
            return args;
        }, environment);
    }

    public static Task<PeerServer> S3rverAsync(string dataDirectory, Tls? tls = null) =>
        PeerServer.StartAsync("s3rver", port =>
        {
            List<string> args = ["-d", dataDirectory, "-a", "127.0.0.1", "-p", port.ToString(), "--configure-bucket", S3Bucket, "--silent"];
            if (tls != null) args.AddRange(["--cert", tls.CertificateFile, "--key", tls.KeyFile]);
            return args;
        }, new Dictionary<string, string?> { ["NODE_OPTIONS"] = "--openssl-legacy-provider" });

    public static Task<PeerServer> AzuriteAsync(string dataDirectory, Tls? tls = null) =>
        PeerServer.StartAsync("azurite-blob", port =>
        {
            List<string> args = ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", dataDirectory, "--silent", "--skipApiVersionCheck", "--loose"];
            if (tls != null) args.AddRange(["--cert", tls.CertificateFile, "--key", tls.KeyFile]);
            return args;
        });

    public static Dictionary<string, string?> S3Keys() => new()
    {
        [CredentialNames.AwsAccessKeyId] = "S3RVER",
        [CredentialNames.AwsSecretAccessKey] = "S3RVER",
        ["AWS_CA_BUNDLE"] = null,
    };

    public static Dictionary<string, string?> AzureKeys(PeerServer azurite, string scheme = "http") => new()
    {
        [CredentialNames.AzureAccountName] = "devstoreaccount1",
        [CredentialNames.AzureAccountKey] = AzuriteKey,
        [CredentialNames.AzureEndpoint] = $"{scheme}://127.0.0.1:{azurite.Port}/devstoreaccount1",
    };

    public static ICredentialSource AsCredentials(IDictionary<string, string?> values) =>
        new DictionaryCredentialSource(values.Where(v => v.Value != null).ToDictionary(v => v.Key, v => v.Value!));
}
