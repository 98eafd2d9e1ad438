using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon.S3;
using Amazon.S3.Model;
using StashMount.Backends.Http;

namespace StashMount.Backends.S3;

/// <summary>
/// A repository under a bucket prefix in S3 or an S3-compatible store, through AWSSDK.S3. Listing uses
/// ListObjectsV2 with the type's prefix and no delimiter (some stores, s3rver among them, return no common
/// prefixes), so data/xx/ sub-folders come back in one flat, paginated walk.
/// </summary>
public sealed class S3Backend : IBackend
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private Task<BackendException?>? _bucketCheck;

    public S3Backend(RepositoryLocation location, ICredentialSource credentials, BackendOptions options)
    {
        if (location.Kind != BackendKind.S3)
            throw new ArgumentException("not an S3 location", nameof(location));
        Location = location.ToString();
        Connections = options.ConnectionsFor("s3", 5);
        _bucket = location.Bucket;
        _prefix = location.Prefix;
        _client = S3ClientBuilder.Build(location, credentials, options, Connections);
    }

    public string Location { get; }

    public int Connections { get; }

    private string KeyOf(FileHandle handle) => SlashPath.Join(_prefix, RepositoryLayout.RelativePath(handle));

    public async IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (type == FileType.Config)
        {
            if (await this.TryStatAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false) is { } config)
                yield return config;
            yield break;
        }
        var request = new ListObjectsV2Request
        {
            BucketName = _bucket,
            Prefix = SlashPath.Join(_prefix, RepositoryLayout.Folder(type)) + "/",
            MaxKeys = 1000,
        };
        var what = $"list {RepositoryLayout.Folder(type)}";
        while (true)
        {
            ListObjectsV2Response response;
            try
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw S3Errors.Map(e, Location, _bucket, what);
            }
            foreach (var entry in response.S3Objects ?? [])
            {
                var slash = entry.Key.LastIndexOf('/');
                var name = entry.Key[(slash + 1)..];
                if (name.Length > 0)
                    yield return new BackendFileInfo(name, entry.Size ?? 0);
            }
            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
                yield break;
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    public async Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(_bucket, KeyOf(handle), cancellationToken).ConfigureAwait(false);
            return new BackendFileInfo(handle.Name, metadata.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw await NotFoundAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not BackendException)
        {
            throw S3Errors.Map(e, Location, _bucket, $"stat {handle}");
        }
    }

    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length == 0)
            return;
        var what = $"read {handle}";
        var request = new GetObjectRequest
        {
            BucketName = _bucket,
            Key = KeyOf(handle),
            ByteRange = new ByteRange(offset, offset + destination.Length - 1),
        };
        try
        {
            using var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            var stream = response.ResponseStream;
            var done = 0;
            while (done < destination.Length)
            {
                var n = await stream.ReadAsync(destination[done..], cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    throw new BackendException($"{Location}: {handle} is shorter than {offset + destination.Length} bytes");
                done += n;
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw await NotFoundAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            throw new BackendException($"{Location}: {handle} is shorter than {offset + destination.Length} bytes", e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not BackendException)
        {
            throw S3Errors.Map(e, Location, _bucket, what);
        }
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        // S3 overwrites silently (and not every S3-compatible store honours If-None-Match), so look first.
        if (await this.ExistsAsync(handle, cancellationToken).ConfigureAwait(false))
            throw new BackendException($"{handle} already exists in {Location}");
        var buffer = MemoryMarshal.TryGetArray(content, out var segment) ? segment : new ArraySegment<byte>(content.ToArray());
        using var stream = new MemoryStream(buffer.Array!, buffer.Offset, buffer.Count, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = KeyOf(handle),
            InputStream = stream,
            AutoCloseStream = false,
            // aws-chunked bodies are stored verbatim by s3rver and some gateways; a plain body works everywhere.
            UseChunkEncoding = false,
            ContentType = "application/octet-stream",
        };
        try
        {
            await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw S3Errors.Map(e, Location, _bucket, $"save {handle}");
        }
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.DeleteObjectAsync(_bucket, KeyOf(handle), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw S3Errors.Map(e, Location, _bucket, $"remove {handle}");
        }
    }

    /// <summary>
    /// A HEAD answer has no body, so a 404 cannot say whether the object or the whole bucket is missing. Ask the
    /// bucket once (one shared call however many reads miss at the same time) so "no such bucket" is reported as
    /// such rather than as a missing file.
    /// </summary>
    private async Task<BackendException> NotFoundAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var check = LazyInitializer.EnsureInitialized(ref _bucketCheck, CheckBucketAsync);
        var failure = await check.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (failure is TransientBackendException)
            _ = Interlocked.CompareExchange(ref _bucketCheck, null, check);
        return failure ?? new BackendFileNotFoundException(Location, handle);
    }

    private async Task<BackendException?> CheckBucketAsync()
    {
        try
        {
            // With the repository's prefix: s3rver fails a prefix-less listing of an empty bucket.
            var request = new ListObjectsV2Request { BucketName = _bucket, MaxKeys = 1, Prefix = _prefix.Length == 0 ? null : _prefix + "/" };
            await _client.ListObjectsV2Async(request).ConfigureAwait(false);
            return null;
        }
        catch (Exception e)
        {
            return S3Errors.Map(e, Location, _bucket, "check the bucket");
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
