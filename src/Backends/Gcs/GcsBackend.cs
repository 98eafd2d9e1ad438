using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using StashMount.Backends.Http;

namespace StashMount.Backends.Gcs;

/// <summary>
/// A repository under a prefix of a Google Cloud Storage bucket, over the GCS JSON API with HttpClient (no GCS
/// client package is served here). Saves use a single-request media upload with ifGenerationMatch=0 so an
/// existing object is never replaced. The endpoint can be overridden (`-o gs.endpoint=URL` or
/// STORAGE_EMULATOR_HOST, as Google's own clients honour) for emulators and private endpoints.
/// </summary>
public sealed class GcsBackend : IBackend
{
    private readonly HttpClient _client;
    private readonly string _endpoint;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly GcsTokenSource _tokens;
    private Task<BackendException?>? _bucketCheck;

    public GcsBackend(RepositoryLocation location, ICredentialSource credentials, BackendOptions options, HttpClient? client = null)
    {
        if (location.Kind != BackendKind.Gcs)
            throw new ArgumentException("not a GCS location", nameof(location));
        Location = location.ToString();
        Connections = options.ConnectionsFor("gs", 5);
        _bucket = location.Bucket;
        _prefix = location.Prefix;
        _endpoint = (options.Get("gs.endpoint") ?? credentials.Get(CredentialNames.StorageEmulatorHost) ?? "https://storage.googleapis.com").TrimEnd('/');
        if (!_endpoint.Contains("://", StringComparison.Ordinal))
            _endpoint = "http://" + _endpoint;
        _tokens = new GcsTokenSource(credentials, Location);
        _client = client ?? HttpTransport.CreateClient(options, credentials, Connections);
    }

    public string Location { get; }

    public int Connections { get; }

    private string ObjectName(FileHandle handle) => SlashPath.Join(_prefix, RepositoryLayout.RelativePath(handle));

    private string ObjectUrl(FileHandle handle) => $"{_endpoint}/storage/v1/b/{Uri.EscapeDataString(_bucket)}/o/{Uri.EscapeDataString(ObjectName(handle))}";

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string what, CancellationToken cancellationToken, Action<HttpRequestMessage>? prepare = null)
    {
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        prepare?.Invoke(request);
        return await HttpExchange.SendAsync(_client, request, Location, what, cancellationToken).ConfigureAwait(false);
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
        var what = $"list {RepositoryLayout.Folder(type)}";
        string? pageToken = null;
        do
        {
            var url = $"{_endpoint}/storage/v1/b/{Uri.EscapeDataString(_bucket)}/o?prefix={Uri.EscapeDataString(prefix)}&maxResults=1000&fields=items(name,size),nextPageToken";
            if (pageToken != null)
                url += $"&pageToken={Uri.EscapeDataString(pageToken)}";
            JsonDocument page;
            using (var response = await SendAsync(HttpMethod.Get, url, what, cancellationToken).ConfigureAwait(false))
            {
                if (!response.IsSuccessStatusCode)
                    throw await FailureAsync(response, what, null, cancellationToken).ConfigureAwait(false);
                page = await ReadJsonAsync(response, what, cancellationToken).ConfigureAwait(false);
            }
            using (page)
            {
                if (page.RootElement.TryGetProperty("items", out var items))
                    foreach (var item in items.EnumerateArray())
                    {
                        var name = item.GetProperty("name").GetString()!;
                        var slash = name.LastIndexOf('/');
                        if (slash < name.Length - 1)
                            yield return new BackendFileInfo(name[(slash + 1)..], ParseSize(item));
                    }
                pageToken = page.RootElement.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
            }
        } while (!string.IsNullOrEmpty(pageToken));
    }

    public async Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        var what = $"stat {handle}";
        using var response = await SendAsync(HttpMethod.Get, ObjectUrl(handle) + "?fields=size", what, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, what, handle, cancellationToken).ConfigureAwait(false);
        using var document = await ReadJsonAsync(response, what, cancellationToken).ConfigureAwait(false);
        return new BackendFileInfo(handle.Name, ParseSize(document.RootElement));
    }

    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length == 0)
            return;
        var what = $"read {handle}";
        using var response = await SendAsync(HttpMethod.Get, ObjectUrl(handle) + "?alt=media", what, cancellationToken,
            r => r.Headers.Range = new RangeHeaderValue(offset, offset + destination.Length - 1)).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            throw new BackendException($"{Location}: {handle} is shorter than {offset + destination.Length} bytes");
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, what, handle, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.PartialContent && offset != 0)
            throw new BackendException($"{Location}: the server ignored the byte range while trying to {what}");
        await HttpExchange.ReadExactlyAsync(response, destination, Location, what, cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var what = $"save {handle}";
        var url = $"{_endpoint}/upload/storage/v1/b/{Uri.EscapeDataString(_bucket)}/o?uploadType=media&ifGenerationMatch=0&name={Uri.EscapeDataString(ObjectName(handle))}";
        using var response = await SendAsync(HttpMethod.Post, url, what, cancellationToken, r =>
        {
            r.Content = new ReadOnlyMemoryContent(content);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
            throw new BackendException($"{handle} already exists in {Location}");
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, what, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        var what = $"remove {handle}";
        using var response = await SendAsync(HttpMethod.Delete, ObjectUrl(handle), what, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return;
        var failure = await FailureAsync(response, what, handle, cancellationToken).ConfigureAwait(false);
        if (failure is not BackendFileNotFoundException)
            throw failure;
    }

    private static long ParseSize(JsonElement item) =>
        item.TryGetProperty("size", out var size) && long.TryParse(size.ValueKind == JsonValueKind.String ? size.GetString() : size.GetRawText(), out var n) ? n : 0;

    private Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        HttpExchange.ReadJsonAsync(response, Location, what, "GCS", cancellationToken);

    /// <summary>A 404 means a missing object or a missing bucket; the bucket is asked once to tell which.</summary>
    private async Task<BackendException> FailureAsync(HttpResponseMessage response, string what, FileHandle? handle, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var check = LazyInitializer.EnsureInitialized(ref _bucketCheck, CheckBucketAsync);
            var failure = await check.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (failure is TransientBackendException)
                _ = Interlocked.CompareExchange(ref _bucketCheck, null, check);
            if (failure != null)
                return failure;
            if (handle is { } h)
                return new BackendFileNotFoundException(Location, h);
        }
        return HttpFailures.FromStatus(response.StatusCode, Location, what);
    }

    private async Task<BackendException?> CheckBucketAsync()
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, $"{_endpoint}/storage/v1/b/{Uri.EscapeDataString(_bucket)}?fields=name", "check the bucket", CancellationToken.None).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return new BackendException($"{Location}: bucket \"{_bucket}\" does not exist");
            // 403 here only means no storage.buckets.get permission; objects may still be readable.
            return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Forbidden
                ? null
                : HttpFailures.FromStatus(response.StatusCode, Location, "check the bucket");
        }
        catch (BackendException e)
        {
            return e;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
