using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using StashMount.Backends.Http;

namespace StashMount.Backends.Rest;

/// <summary>
/// restic's REST protocol (rest-server, `rclone serve restic`): one URL per file, `{base}{type}/{name}`, ranged
/// GET, HEAD for the size, POST to save, DELETE. Listing asks for protocol v2 (names with sizes) and still accepts
/// a v1 answer (names only, sizes fetched with HEAD) from old servers.
/// </summary>
public sealed class RestBackend : IBackend
{
    private const string V2MediaType = "application/vnd.x.restic.rest.v2";
    private const string V1MediaType = "application/vnd.x.restic.rest.v1";

    private readonly Uri _base;
    private readonly HttpClient _client;
    private readonly AuthenticationHeaderValue? _authorization;

    public RestBackend(RepositoryLocation location, ICredentialSource credentials, BackendOptions options, HttpClient? client = null)
    {
        if (location.Kind != BackendKind.Rest)
            throw new ArgumentException("not a REST location", nameof(location));
        var uri = new Uri(location.Endpoint);
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        else if (credentials.Get(CredentialNames.RestServerUsername) is { } envUser)
        {
            user = envUser;
            password = credentials.Get(CredentialNames.RestServerPassword) ?? "";
        }
        if (user != null)
            _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        _base = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        Location = location.ToString();
        Connections = options.ConnectionsFor("rest", 5);
        _client = client ?? HttpTransport.CreateClient(options, credentials, Connections);
    }

    public string Location { get; }

    public int Connections { get; }

    private Uri UriOf(FileHandle handle) => handle.Type == FileType.Config
        ? new Uri(_base, "config")
        : new Uri(_base, $"{RepositoryLayout.Folder(handle.Type)}/{handle.Name}");

    private HttpRequestMessage Request(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = _authorization;
        return request;
    }

    /// <summary>Asks the server to create the repository's folders (POST /?create=true), as `restic init` does.</summary>
    public async Task CreateRepositoryAsync(CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Post, new Uri(_base, "?create=true"));
        using var response = await HttpExchange.SendAsync(_client, request, Location, "create the repository", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw HttpFailures.FromStatus(response.StatusCode, Location, "create the repository");
    }

    public async IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (type == FileType.Config)
        {
            await foreach (var config in this.ListConfigAsync(cancellationToken).ConfigureAwait(false))
                yield return config;
            yield break;
        }
        var what = $"list {RepositoryLayout.Folder(type)}";
        using var request = Request(HttpMethod.Get, new Uri(_base, RepositoryLayout.Folder(type) + "/"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(V2MediaType));
        using var response = await HttpExchange.SendAsync(_client, request, Location, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            yield break;
        if (!response.IsSuccessStatusCode)
            throw HttpFailures.FromStatus(response.StatusCode, Location, what);
        var isV2 = response.Content.Headers.ContentType?.MediaType == V2MediaType;
        JsonDocument document;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw new BackendException($"{Location}: the server's answer to {what} is not restic REST JSON");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw HttpFailures.FromTransport(e, Location, what);
        }
        using (document)
        {
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (isV2 || entry.ValueKind == JsonValueKind.Object)
                {
                    yield return new BackendFileInfo(entry.GetProperty("name").GetString()!, entry.GetProperty("size").GetInt64());
                }
                else
                {
                    var name = entry.GetString()!;
                    yield return await StatAsync(new FileHandle(type, name), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public async Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Head, UriOf(handle));
        using var response = await HttpExchange.SendAsync(_client, request, Location, $"stat {handle}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new BackendFileNotFoundException(Location, handle);
        if (!response.IsSuccessStatusCode)
            throw HttpFailures.FromStatus(response.StatusCode, Location, $"stat {handle}");
        var length = response.Content.Headers.ContentLength
            ?? throw new BackendException($"{Location}: the server gave no size for {handle}");
        return new BackendFileInfo(handle.Name, length);
    }

    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length == 0)
            return;
        var what = $"read {handle}";
        using var request = Request(HttpMethod.Get, UriOf(handle));
        request.Headers.Range = new RangeHeaderValue(offset, offset + destination.Length - 1);
        using var response = await HttpExchange.SendAsync(_client, request, Location, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new BackendFileNotFoundException(Location, handle);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            throw new BackendException($"{Location}: {handle} is shorter than {offset + destination.Length} bytes");
        if (!response.IsSuccessStatusCode)
            throw HttpFailures.FromStatus(response.StatusCode, Location, what);
        await HttpExchange.ReadRangeAsync(response, offset, destination, Location, what, cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        // The protocol lets a server overwrite (rclone does); the interface promises files are never replaced.
        if (await this.ExistsAsync(handle, cancellationToken).ConfigureAwait(false))
            throw new BackendException($"{handle} already exists in {Location}");
        var what = $"save {handle}";
        using var request = Request(HttpMethod.Post, UriOf(handle));
        request.Content = new ReadOnlyMemoryContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await HttpExchange.SendAsync(_client, request, Location, what, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw HttpFailures.FromStatus(response.StatusCode, Location, what);
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        var what = $"remove {handle}";
        using var request = Request(HttpMethod.Delete, UriOf(handle));
        using var response = await HttpExchange.SendAsync(_client, request, Location, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound || response.IsSuccessStatusCode)
            return;
        throw HttpFailures.FromStatus(response.StatusCode, Location, what);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
