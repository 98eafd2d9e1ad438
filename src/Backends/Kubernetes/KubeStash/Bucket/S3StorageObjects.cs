using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using StashMount.Backends.S3;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// The plain objects of an S3 BackupStorage, through the same AWS SDK client setup the S3 backend uses (the
/// backend interface only addresses restic's own files, so metadata.yaml and friends need their own reader).
/// </summary>
public sealed class S3StorageObjects : IStorageObjects
{
    private readonly AmazonS3Client _client;
    private readonly RepositoryLocation _location;

    public S3StorageObjects(RepositoryLocation location, ICredentialSource credentials, BackendOptions options)
    {
        _location = location;
        _client = S3ClientBuilder.Build(location, credentials, options, options.ConnectionsFor("s3", 5));
    }

    private string KeyOf(string relative) => SlashPath.Join(_location.Prefix, ResticRepositoryStrings.JoinPath(relative));

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var folder = KeyOf(prefix);
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = folder.Length == 0 ? "" : folder + "/", MaxKeys = 1000 };
        var rootLength = _location.Prefix.Length == 0 ? 0 : _location.Prefix.Length + 1;
        while (true)
        {
            ListObjectsV2Response response;
            try
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw S3Errors.Map(e, _location.ToString(), _location.Bucket, $"list {prefix}");
            }
            foreach (var entry in response.S3Objects ?? [])
                if (entry.Key.Length > rootLength)
                    yield return entry.Key[rootLength..];
            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
                yield break;
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _client.GetObjectAsync(_location.Bucket, KeyOf(key), cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw S3Errors.Map(e, _location.ToString(), _location.Bucket, $"read {key}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
