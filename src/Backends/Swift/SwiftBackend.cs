using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using StashMount.Backends.Http;

namespace StashMount.Backends.Swift;

/// <summary>
/// A repository under a prefix of an OpenStack Swift container, over Swift's object API with HttpClient (no Swift
/// package is served): container listing as JSON with marker pagination, HEAD for sizes, ranged GET, PUT with an
/// ETag (Swift checks the MD5) and If-None-Match: * so an existing object is never replaced, DELETE. A 401 means
/// the token expired: authenticate again once (<see cref="SwiftAuthenticator"/>).
/// </summary>
public sealed class SwiftBackend : IBackend
{
    private const int PageSize = 1000;

    private readonly HttpClient _client;
    private readonly SwiftAuthenticator _authenticator;
    private readonly SemaphoreSlim _authenticating = new(1, 1);
    private readonly string _container;
    private readonly string _prefix;
    private SwiftSession? _session;

    public SwiftBackend(RepositoryLocation location, ICredentialSource credentials, BackendOptions options, HttpClient? client = null)
    {
        if (location.Kind != BackendKind.Swift)
            throw new ArgumentException("not a Swift location", nameof(location));
        Location = location.ToString();
        Connections = options.ConnectionsFor("swift", 5);
        _container = location.Bucket;
        _prefix = location.Prefix;
        _client = client ?? HttpTransport.CreateClient(options, credentials, Connections);
        _authenticator = new SwiftAuthenticator(_client, credentials, Location);
    }

    public string Location { get; }

    public int Connections { get; }

    private string ObjectPath(FileHandle handle) =>
        string.Join('/', SlashPath.Join(_prefix, RepositoryLayout.RelativePath(handle)).Split('/').Select(Uri.EscapeDataString));

    private async Task<SwiftSession> SessionAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _session) is { } session)
            return session;
        await _authenticating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _session ??= await _authenticator.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _authenticating.Release();
        }
    }

    /// <summary>Sends a request to {storage}/{container}/{path}; on 401 authenticates again and repeats once.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string what, CancellationToken cancellationToken, Action<HttpRequestMessage>? prepare = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, $"{session.StorageUrl}/{Uri.EscapeDataString(_container)}{path}");
            request.Headers.TryAddWithoutValidation("X-Auth-Token", session.Token);
            prepare?.Invoke(request);
            var response = await HttpExchange.SendAsync(_client, request, Location, what, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
                return response;
            response.Dispose();
            Interlocked.CompareExchange(ref _session, null, session);
        }
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
        string? marker = null;
        while (true)
        {
            var query = $"?format=json&limit={PageSize}&prefix={Uri.EscapeDataString(prefix)}";
            if (marker != null)
                query += $"&marker={Uri.EscapeDataString(marker)}";
            var page = new List<(string Name, long Size)>();
            using (var response = await SendAsync(HttpMethod.Get, query, what, cancellationToken).ConfigureAwait(false))
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                    throw new BackendException($"{Location}: container \"{_container}\" does not exist");
                if (!response.IsSuccessStatusCode)
                    throw await FailureAsync(response, what, cancellationToken).ConfigureAwait(false);
                using var document = await ReadJsonAsync(response, what, cancellationToken).ConfigureAwait(false);
                foreach (var item in document.RootElement.EnumerateArray())
                    page.Add((item.GetProperty("name").GetString()!, item.GetProperty("bytes").GetInt64()));
            }
            foreach (var (name, size) in page)
                yield return new BackendFileInfo(name[(name.LastIndexOf('/') + 1)..], size);
            if (page.Count < PageSize)
                yield break;
            marker = page[^1].Name;
        }
    }

    public async Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        var what = $"stat {handle}";
        using var response = await SendAsync(HttpMethod.Head, "/" + ObjectPath(handle), what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new BackendFileNotFoundException(Location, handle);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, what, cancellationToken).ConfigureAwait(false);
        return new BackendFileInfo(handle.Name, response.Content.Headers.ContentLength
            ?? throw new BackendException($"{Location}: the server gave no size for {handle}"));
    }

    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length == 0)
            return;
        var what = $"read {handle}";
        using var response = await SendAsync(HttpMethod.Get, "/" + ObjectPath(handle), what, cancellationToken,
            r => r.Headers.Range = new RangeHeaderValue(offset, offset + destination.Length - 1)).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new BackendFileNotFoundException(Location, handle);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            throw new BackendException($"{Location}: {handle} is shorter than {offset + destination.Length} bytes");
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, what, cancellationToken).ConfigureAwait(false);
        await HttpExchange.ReadRangeAsync(response, offset, destination, Location, what, cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var what = $"save {handle}";
        var md5 = Convert.ToHexStringLower(MD5.HashData(content.Span));
        using var response = await SendAsync(HttpMethod.Put, "/" + ObjectPath(handle), what, cancellationToken, r =>
        {
            r.Headers.TryAddWithoutValidation("If-None-Match", "*");
            r.Content = new ReadOnlyMemoryContent(content);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            r.Headers.TryAddWithoutValidation("ETag", md5);
        }).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
            throw new BackendException($"{handle} already exists in {Location}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new BackendException($"{Location}: container \"{_container}\" does not exist");
        if ((int)response.StatusCode == 422)
            throw new TransientBackendException($"{Location}: the server's checksum of {handle} did not match while trying to {what}, will retry");
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, what, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        var what = $"remove {handle}";
        using var response = await SendAsync(HttpMethod.Delete, "/" + ObjectPath(handle), what, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
            return;
        throw await FailureAsync(response, what, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BackendException> FailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        HttpFailures.FromStatus(response.StatusCode, Location, what, await HttpExchange.ReadDetailAsync(response, cancellationToken).ConfigureAwait(false));

    private Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        HttpExchange.ReadJsonAsync(response, Location, what, "Swift", cancellationToken);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _authenticating.Dispose();
        return ValueTask.CompletedTask;
    }
}
