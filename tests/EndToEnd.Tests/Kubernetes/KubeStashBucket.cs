using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using StashMount.Backends;
using StashMount.Backends.S3;
using StashMount.EndToEnd.Tests.Backends;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Kubernetes;

/// <summary>
/// A KubeStash BackupStorage's bucket in s3rver: restic repositories written by restic (locally, then uploaded
/// as a sync would) at &lt;prefix&gt;/&lt;repo path&gt;/repository/v1/&lt;session&gt;/&lt;component&gt;, and the YAML files KubeStash keeps beside them.
/// </summary>
internal sealed class KubeStashBucket(PeerServer server, string bucket, string prefix, TempDirectory temp)
{
    public const string AccessKey = "S3RVER";

    public string Endpoint => $"http://127.0.0.1:{server.Port}";

    private static readonly Dictionary<string, string> Keys = new()
    {
        [CredentialNames.AwsAccessKeyId] = AccessKey,
        [CredentialNames.AwsSecretAccessKey] = AccessKey,
    };

    /// <summary>restic init + one backup per source of "data" (each source a folder holding data/); returns the full snapshot IDs.</summary>
    public async Task<IReadOnlyList<string>> WriteComponentAsync(string repositoryPath, string session, string component, string password, params string[] sources)
    {
        var local = temp.Combine("restic", repositoryPath.Replace('/', '_'), session, component);
        var restic = new ResticCli(local, password);
        await restic.InitAsync();
        var ids = new List<string>();
        foreach (var source in sources)
            ids.Add(await restic.FullSnapshotIdAsync(await restic.BackupAsync(source, ["data"], "--host", component)));
        var location = $"s3:{Endpoint}/{bucket}/{prefix}/{repositoryPath}/repository/v1/{session}/{component}";
        await using var s3 = new S3Backend(RepositoryLocation.Parse(location), new DictionaryCredentialSource(Keys), BackendOptions.Default);
        await RepositoryUpload.CopyAsync(local, s3);
        return ids;
    }

    /// <summary>A plain object (metadata.yaml, repository.yaml, a Snapshot YAML) at &lt;prefix&gt;/<paramref name="key"/>.</summary>
    public async Task PutAsync(string key, string text)
    {
        using var client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, AccessKey),
            new AmazonS3Config
            {
                ServiceURL = Endpoint,
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
                // s3rver would store aws-chunked checksum trailers as part of the object.
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"{prefix}/{key}", ContentBody = text, UseChunkEncoding = false });
    }
}
