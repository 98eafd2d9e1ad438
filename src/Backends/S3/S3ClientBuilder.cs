using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace StashMount.Backends.S3;

/// <summary>
/// Configures the AWS SDK client the way restic talks to S3: AWS endpoints by region, any other endpoint
/// (MinIO, s3rver, Ceph) path-style at its URL; keys from AWS_* or the SDK's default chain (IRSA/web identity,
/// instance profile, profiles) when none are given.
/// </summary>
internal static class S3ClientBuilder
{
    public static AmazonS3Client Build(RepositoryLocation location, ICredentialSource credentials, BackendOptions options, int connections)
    {
        var region = options.Get("s3.region") ?? credentials.Get(CredentialNames.AwsDefaultRegion) ?? credentials.Get(CredentialNames.AwsRegion)
            ?? RegionFromAwsHost(location.Endpoint) ?? "us-east-1";
        var config = new AmazonS3Config
        {
            // Retries and timeouts belong to our decorators, so they behave the same for every backend.
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            HttpClientFactory = new S3HttpClientFactory(options, credentials, connections),
            // Flexible checksums would switch uploads to aws-chunked trailers, which s3rver and some gateways store verbatim.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (IsAwsHost(location.Endpoint))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            config.UseHttp = location.UseHttp;
        }
        else
        {
            config.ServiceURL = $"{(location.UseHttp ? "http" : "https")}://{location.Endpoint}";
            config.AuthenticationRegion = region;
            config.ForcePathStyle = options.Get("s3.bucket-lookup") != "dns";
        }
        if (options.Get("s3.bucket-lookup") == "path")
            config.ForcePathStyle = true;

        var keyId = credentials.Get(CredentialNames.AwsAccessKeyId);
        var secret = credentials.Get(CredentialNames.AwsSecretAccessKey);
        if (keyId is null != secret is null)
            throw new BackendException($"{location}: set both {CredentialNames.AwsAccessKeyId} and {CredentialNames.AwsSecretAccessKey}, or neither to use the default AWS credential chain");
        if (keyId is null)
            return new AmazonS3Client(config);
        AWSCredentials keys = credentials.Get(CredentialNames.AwsSessionToken) is { } token
            ? new SessionAWSCredentials(keyId, secret, token)
            : new BasicAWSCredentials(keyId, secret);
        return new AmazonS3Client(keys, config);
    }

    private static bool IsAwsHost(string endpoint)
    {
        var host = endpoint.Split(':')[0];
        return host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"s3.eu-west-1.amazonaws.com" and "s3-eu-west-1.amazonaws.com" name their region.</summary>
    private static string? RegionFromAwsHost(string endpoint)
    {
        var host = endpoint.Split(':')[0].ToLowerInvariant();
        if (!host.EndsWith(".amazonaws.com", StringComparison.Ordinal))
            return null;
        var first = host[..^".amazonaws.com".Length];
        var parts = first.Split('.');
        foreach (var part in parts)
        {
            var candidate = part.StartsWith("s3-", StringComparison.Ordinal) ? part[3..] : part;
            if (candidate.Count(c => c == '-') >= 2 && candidate != "dualstack")
                return candidate;
        }
        return null;
    }
}
