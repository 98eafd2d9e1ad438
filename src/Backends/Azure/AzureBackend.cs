using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using StashMount.Backends.Http;

namespace StashMount.Backends.Azure;

/// <summary>
/// A repository under a prefix of an Azure Blob container, over the Blob service REST API with HttpClient
/// (Azure.Storage.Blobs is not served here). Authenticates with the account key (SharedKey) or a SAS token;
/// AZURE_ENDPOINT gives a full service URL for emulators and private endpoints (path-style, e.g. Azurite's
/// http://127.0.0.1:10000/devstoreaccount1).
/// </summary>
public sealed class AzureBackend : IBackend
{
    private const string ApiVersion = "2021-08-06";

    private readonly HttpClient _client;
    private readonly string _containerUrl;
    private readonly string _container;
    private readonly string _prefix;
    private readonly AzureSharedKeySigner? _signer;
    private readonly string? _sas;

    public AzureBackend(RepositoryLocation location, ICredentialSource credentials, BackendOptions options, HttpClient? client = null)
    {
        if (location.Kind != BackendKind.Azure)
            throw new ArgumentException("not an Azure location", nameof(location));
        Location = location.ToString();
        Connections = options.ConnectionsFor("azure", 5);
        _container = location.Bucket;
        _prefix = location.Prefix;
        var account = credentials.Get(CredentialNames.AzureAccountName)
            ?? throw new BackendException($"{Location}: {CredentialNames.AzureAccountName} is not set");
        var endpoint = credentials.Get(CredentialNames.AzureEndpoint)?.TrimEnd('/');
        if (endpoint is null)
        {
            var suffix = options.Get("azure.endpoint-suffix") ?? credentials.Get(CredentialNames.AzureEndpointSuffix) ?? "core.windows.net";
            endpoint = $"https://{account}.blob.{suffix}";
        }
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw new BackendException($"{Location}: {CredentialNames.AzureEndpoint} is not a URL; expected e.g. https://account.blob.core.windows.net");
        _containerUrl = $"{endpoint}/{Uri.EscapeDataString(_container)}";
        if (credentials.Get(CredentialNames.AzureAccountKey) is { } key)
            _signer = new AzureSharedKeySigner(account, key);
        else if (credentials.Get(CredentialNames.AzureAccountSas) is { } sas)
            _sas = sas.TrimStart('?');
        else
            throw new BackendException($"{Location}: set {CredentialNames.AzureAccountKey} or {CredentialNames.AzureAccountSas}");
        _client = client ?? HttpTransport.CreateClient(options, credentials, Connections);
    }

    public string Location { get; }

    public int Connections { get; }

    private string BlobName(FileHandle handle) => SlashPath.Join(_prefix, RepositoryLayout.RelativePath(handle));

    private HttpRequestMessage Request(HttpMethod method, string? blob, string query = "")
    {
        var url = blob is null ? _containerUrl : $"{_containerUrl}/{string.Join('/', blob.Split('/').Select(Uri.EscapeDataString))}";
        if (_sas != null)
            query = query.Length == 0 ? _sas : $"{query}&{_sas}";
        var request = new HttpRequestMessage(method, query.Length == 0 ? url : $"{url}?{query}");
        request.Headers.TryAddWithoutValidation("x-ms-date", DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        _signer?.Sign(request);
        return await HttpExchange.SendAsync(_client, request, Location, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the container (for tests and `init`); an existing one is fine.</summary>
    public async Task CreateContainerAsync(CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Put, null, "restype=container");
        request.Content = new ByteArrayContent([]);
        using var response = await SendAsync(request, "create the container", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
            throw Failure(response, "create the container");
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
        do
        {
            var query = $"restype=container&comp=list&maxresults=1000&prefix={Uri.EscapeDataString(prefix)}";
            if (marker != null)
                query += $"&marker={Uri.EscapeDataString(marker)}";
            XDocument page;
            using (var request = Request(HttpMethod.Get, null, query))
            using (var response = await SendAsync(request, what, cancellationToken).ConfigureAwait(false))
            {
                if (!response.IsSuccessStatusCode)
                    throw Failure(response, what);
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    page = await XDocument.LoadAsync(body, LoadOptions.None, cancellationToken).ConfigureAwait(false);
                }
                catch (System.Xml.XmlException)
                {
                    throw new BackendException($"{Location}: the answer to {what} is not a blob listing");
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    throw HttpFailures.FromTransport(e, Location, what);
                }
            }
            var root = page.Root!;
            foreach (var blob in root.Element("Blobs")?.Elements("Blob") ?? [])
            {
                var name = (string?)blob.Element("Name") ?? "";
                var size = (long?)blob.Element("Properties")?.Element("Content-Length") ?? 0;
                var slash = name.LastIndexOf('/');
                if (slash < name.Length - 1)
                    yield return new BackendFileInfo(name[(slash + 1)..], size);
            }
            marker = (string?)root.Element("NextMarker");
        } while (!string.IsNullOrEmpty(marker));
    }

    public async Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Head, BlobName(handle));
        using var response = await SendAsync(request, $"stat {handle}", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw Failure(response, $"stat {handle}", handle);
        return new BackendFileInfo(handle.Name, response.Content.Headers.ContentLength
            ?? throw new BackendException($"{Location}: no size for {handle}"));
    }

    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length == 0)
            return;
        var what = $"read {handle}";
        using var request = Request(HttpMethod.Get, BlobName(handle));
        request.Headers.TryAddWithoutValidation("x-ms-range", $"bytes={offset}-{offset + destination.Length - 1}");
        using var response = await SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            throw new BackendException($"{Location}: {handle} is shorter than {offset + destination.Length} bytes");
        if (!response.IsSuccessStatusCode)
            throw Failure(response, what, handle);
        await HttpExchange.ReadExactlyAsync(response, destination, Location, what, cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var what = $"save {handle}";
        using var request = Request(HttpMethod.Put, BlobName(handle));
        request.Headers.TryAddWithoutValidation("x-ms-blob-type", "BlockBlob");
        // The service refuses the write when the blob exists: no check-then-write race.
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        request.Content = new ReadOnlyMemoryContent(content);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentLength = content.Length;
        using var response = await SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict && ErrorCode(response) == "BlobAlreadyExists")
            throw new BackendException($"{handle} already exists in {Location}");
        if (!response.IsSuccessStatusCode)
            throw Failure(response, what);
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        var what = $"remove {handle}";
        using var request = Request(HttpMethod.Delete, BlobName(handle));
        using var response = await SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || ErrorCode(response) == "BlobNotFound")
            return;
        throw Failure(response, what);
    }

    private static string? ErrorCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;

    /// <summary>Azure names the failure in x-ms-error-code, even on HEAD answers that have no body.</summary>
    private BackendException Failure(HttpResponseMessage response, string what, FileHandle? handle = null)
    {
        var code = ErrorCode(response);
        return code switch
        {
            "ContainerNotFound" => new BackendException($"{Location}: container \"{_container}\" does not exist"),
            "BlobNotFound" when handle is { } h => new BackendFileNotFoundException(Location, h),
            null when response.StatusCode == HttpStatusCode.NotFound && handle is { } h => new BackendFileNotFoundException(Location, h),
            "AuthenticationFailed" => new BackendException($"{Location}: bad credentials (AuthenticationFailed) while trying to {what}"),
            "AuthorizationFailure" or "AuthorizationPermissionMismatch" or "InsufficientAccountPermissions" =>
                new BackendException($"{Location}: access denied ({code}) while trying to {what}"),
            "ServerBusy" or "OperationTimedOut" or "InternalError" =>
                new TransientBackendException($"{Location}: {what} failed ({code}), will retry"),
            _ => HttpFailures.FromStatus(response.StatusCode, Location, what, code),
        };
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
