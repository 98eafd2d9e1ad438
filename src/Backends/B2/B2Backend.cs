using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using StashMount.Backends.Http;

namespace StashMount.Backends.B2;

/// <summary>
/// A repository under a prefix of a Backblaze B2 bucket, over B2's native API (B2_ACCOUNT_ID, B2_ACCOUNT_KEY):
/// b2_list_file_names pages for listings and stats, b2_download_file_by_name with Range for reads,
/// b2_get_upload_url + b2_upload_file (SHA-1 checked by B2) for saves, b2_delete_file_version for removal
/// (every version) or b2_hide_file with `-o b2.hide=true`. `-o b2.auth-url=URL` points at another endpoint.
/// </summary>
public sealed class B2Backend : IBackend
{
    private const string DefaultAuthUrl = "https://api.backblazeb2.com";
    private const int PageSize = 1000;

    private readonly HttpClient _client;
    private readonly B2Session _session;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly bool _hide;
    private readonly ConcurrentBag<(string Url, string Token)> _uploadUrls = [];
    private Task<string>? _bucketId;

    public B2Backend(RepositoryLocation location, ICredentialSource credentials, BackendOptions options, HttpClient? client = null)
    {
        if (location.Kind != BackendKind.B2)
            throw new ArgumentException("not a B2 location", nameof(location));
        Location = location.ToString();
        var accountId = credentials.Get(CredentialNames.B2AccountId)
            ?? throw new BackendException($"{Location}: B2_ACCOUNT_ID is not set (the B2 account or application key ID)");
        var accountKey = credentials.Get(CredentialNames.B2AccountKey)
            ?? throw new BackendException($"{Location}: B2_ACCOUNT_KEY is not set (the B2 application key)");
        Connections = options.ConnectionsFor("b2", 5);
        _bucket = location.Bucket;
        _prefix = location.Prefix;
        _hide = options.Get("b2.hide") is "true" or "1";
        _client = client ?? HttpTransport.CreateClient(options, credentials, Connections);
        _session = new B2Session(_client, options.Get("b2.auth-url") ?? DefaultAuthUrl, accountId, accountKey, Location);
    }

    public string Location { get; }

    public int Connections { get; }

    private string FileName(FileHandle handle) => SlashPath.Join(_prefix, RepositoryLayout.RelativePath(handle));

    private Task<string> BucketIdAsync(CancellationToken cancellationToken)
    {
        var task = LazyInitializer.EnsureInitialized(ref _bucketId, () => FindBucketAsync(CancellationToken.None));
        if (task.IsFaulted)
            Interlocked.CompareExchange(ref _bucketId, null, task);
        return task.WaitAsync(cancellationToken);
    }

    private async Task<string> FindBucketAsync(CancellationToken cancellationToken)
    {
        var authorization = await _session.AuthorizationAsync(cancellationToken).ConfigureAwait(false);
        if (authorization.AllowedBucketName == _bucket && authorization.AllowedBucketId is { } allowed)
            return allowed;
        var body = new JsonObject { ["accountId"] = authorization.AccountId, ["bucketName"] = _bucket };
        using var answer = await _session.CallAsync("b2_list_buckets", body, "find the bucket", cancellationToken).ConfigureAwait(false)
            ?? throw new BackendException($"{Location}: bucket \"{_bucket}\" does not exist");
        foreach (var bucket in answer.RootElement.GetProperty("buckets").EnumerateArray())
            if (bucket.GetProperty("bucketName").GetString() == _bucket)
                return bucket.GetProperty("bucketId").GetString()!;
        throw new BackendException($"{Location}: bucket \"{_bucket}\" does not exist");
    }

    /// <summary>One page of b2_list_file_names: current (not hidden) versions only.</summary>
    private async Task<(List<(string Name, long Size, string Id)> Files, string? Next)> ListPageAsync(string prefix, string? start, int count, string what, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["bucketId"] = await BucketIdAsync(cancellationToken).ConfigureAwait(false), ["prefix"] = prefix, ["maxFileCount"] = count };
        if (start != null)
            body["startFileName"] = start;
        using var answer = await _session.CallAsync("b2_list_file_names", body, what, cancellationToken).ConfigureAwait(false)
            ?? throw new BackendException($"{Location}: bucket \"{_bucket}\" does not exist");
        var files = new List<(string, long, string)>();
        foreach (var file in answer.RootElement.GetProperty("files").EnumerateArray())
            if (file.GetProperty("action").GetString() == "upload")
                files.Add((file.GetProperty("fileName").GetString()!, file.GetProperty("contentLength").GetInt64(), file.GetProperty("fileId").GetString()!));
        var next = answer.RootElement.TryGetProperty("nextFileName", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return (files, next);
    }

    public async IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (type == FileType.Config)
        {
            await foreach (var config in this.ListConfigAsync(cancellationToken).ConfigureAwait(false))
                yield return config;
            yield break;
        }
        var prefix = SlashPath.Join(_prefix, RepositoryLayout.Folder(type)) + "/";
        string? start = null;
        do
        {
            var (files, next) = await ListPageAsync(prefix, start, PageSize, $"list {RepositoryLayout.Folder(type)}", cancellationToken).ConfigureAwait(false);
            foreach (var (name, size, _) in files)
                yield return new BackendFileInfo(name[(name.LastIndexOf('/') + 1)..], size);
            start = next;
        } while (start != null);
    }

    private async Task<(long Size, string Id)?> FindAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var name = FileName(handle);
        var (files, _) = await ListPageAsync(name, name, 1, $"stat {handle}", cancellationToken).ConfigureAwait(false);
        return files.Count == 1 && files[0].Name == name ? (files[0].Size, files[0].Id) : null;
    }

    public async Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default) =>
        await FindAsync(handle, cancellationToken).ConfigureAwait(false) is { } found
            ? new BackendFileInfo(handle.Name, found.Size)
            : throw new BackendFileNotFoundException(Location, handle);

    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length == 0)
            return;
        var what = $"read {handle}";
        for (var attempt = 0; ; attempt++)
        {
            var authorization = await _session.AuthorizationAsync(cancellationToken).ConfigureAwait(false);
            var path = string.Join('/', FileName(handle).Split('/').Select(Uri.EscapeDataString));
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{authorization.DownloadUrl}/file/{Uri.EscapeDataString(_bucket)}/{path}");
            request.Headers.TryAddWithoutValidation("Authorization", authorization.Token);
            request.Headers.Range = new RangeHeaderValue(offset, offset + destination.Length - 1);
            using var response = await HttpExchange.SendAsync(_client, request, Location, what, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new BackendFileNotFoundException(Location, handle);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                throw new BackendException($"{Location}: {handle} is shorter than {offset + destination.Length} bytes");
            if (!response.IsSuccessStatusCode)
            {
                var (code, message) = await B2Session.ErrorOfAsync(response, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Unauthorized && code == "expired_auth_token" && attempt == 0)
                {
                    _session.Expire(authorization);
                    continue;
                }
                throw _session.Failure(response.StatusCode, code, message, what);
            }
            await HttpExchange.ReadRangeAsync(response, offset, destination, Location, what, cancellationToken).ConfigureAwait(false);
            return;
        }
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        // B2 keeps versions instead of refusing a second upload; the interface promises files are never replaced.
        if (await FindAsync(handle, cancellationToken).ConfigureAwait(false) is not null)
            throw new BackendException($"{handle} already exists in {Location}");
        var what = $"save {handle}";
        var sha1 = Convert.ToHexStringLower(SHA1.HashData(content.Span));
        if (!_uploadUrls.TryTake(out var upload))
            upload = await NewUploadUrlAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, upload.Url);
        request.Headers.TryAddWithoutValidation("Authorization", upload.Token);
        request.Headers.TryAddWithoutValidation("X-Bz-File-Name", EncodeFileName(FileName(handle)));
        request.Headers.TryAddWithoutValidation("X-Bz-Content-Sha1", sha1);
        request.Content = new ReadOnlyMemoryContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await HttpExchange.SendAsync(_client, request, Location, what, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            // An upload URL serves one upload at a time; a failed one is dropped, as B2's docs ask.
            _uploadUrls.Add(upload);
            return;
        }
        var (code, message) = await B2Session.ErrorOfAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized && code is "expired_auth_token" or "bad_auth_token")
            throw new TransientBackendException($"{Location}: the upload URL expired while trying to {what}, will retry");
        throw _session.Failure(response.StatusCode, code, message, what);
    }

    private async Task<(string Url, string Token)> NewUploadUrlAsync(CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["bucketId"] = await BucketIdAsync(cancellationToken).ConfigureAwait(false) };
        using var answer = await _session.CallAsync("b2_get_upload_url", body, "get an upload URL", cancellationToken).ConfigureAwait(false)
            ?? throw new BackendException($"{Location}: bucket \"{_bucket}\" does not exist");
        return (answer.RootElement.GetProperty("uploadUrl").GetString()!, answer.RootElement.GetProperty("authorizationToken").GetString()!);
    }

    /// <summary>B2 wants file names percent-encoded as UTF-8, with '/' left as is.</summary>
    private static string EncodeFileName(string name) => string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        var what = $"remove {handle}";
        if (_hide)
        {
            if (await FindAsync(handle, cancellationToken).ConfigureAwait(false) is null)
                return;
            var body = new JsonObject { ["bucketId"] = await BucketIdAsync(cancellationToken).ConfigureAwait(false), ["fileName"] = FileName(handle) };
            using var hidden = await _session.CallAsync("b2_hide_file", body, what, cancellationToken).ConfigureAwait(false);
            return;
        }
        // Deleting the newest version uncovers the one before it: delete until no version is left.
        for (var i = 0; i < 1000 && await FindAsync(handle, cancellationToken).ConfigureAwait(false) is { } found; i++)
        {
            var body = new JsonObject { ["fileName"] = FileName(handle), ["fileId"] = found.Id };
            using var deleted = await _session.CallAsync("b2_delete_file_version", body, what, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
