using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StashMount.Backends.Http;

namespace StashMount.Backends.Swift;

/// <summary>
/// Gets a Swift storage URL and token the ways restic accepts (its ST_* and OS_* variables): a given
/// OS_STORAGE_URL + OS_AUTH_TOKEN; TempAuth/Keystone v1 (ST_AUTH, ST_USER, ST_KEY: X-Auth-User/X-Auth-Key headers);
/// Keystone v2 (POST /tokens with passwordCredentials and a tenant, catalog endpoint publicURL); Keystone v3
/// (POST /auth/tokens with password or application credentials, token in X-Subject-Token, catalog interface public).
/// The version follows the auth URL ("/v3", "/v2"), as the Go Swift client restic uses decides it.
/// </summary>
internal sealed class SwiftAuthenticator
{
    private readonly HttpClient _client;
    private readonly ICredentialSource _credentials;
    private readonly string _location;

    public SwiftAuthenticator(HttpClient client, ICredentialSource credentials, string location)
    {
        _client = client;
        _credentials = credentials;
        _location = location;
        if (Get("OS_STORAGE_URL") is null && Get("ST_AUTH") is null && Get("OS_AUTH_URL") is null)
            throw new BackendException($"{location}: no Swift credentials; set ST_AUTH/ST_USER/ST_KEY, OS_AUTH_URL with OS_USERNAME/OS_PASSWORD (or application credentials), or OS_STORAGE_URL/OS_AUTH_TOKEN");
    }

    private string? Get(string name) => _credentials.Get(name);

    private string Require(string name) => Get(name) ?? throw new BackendException($"{_location}: {name} is not set (needed for Swift authentication)");

    public Task<SwiftSession> AuthenticateAsync(CancellationToken cancellationToken)
    {
        if (Get("OS_STORAGE_URL") is { } storage && Get("OS_AUTH_TOKEN") is { } token)
            return Task.FromResult(new SwiftSession(storage.TrimEnd('/'), token));
        if (Get("ST_AUTH") is { } v1Url && !v1Url.Contains("/v2", StringComparison.Ordinal) && !v1Url.Contains("/v3", StringComparison.Ordinal))
            return V1Async(v1Url, Require("ST_USER"), Require("ST_KEY"), cancellationToken);
        var url = (Get("OS_AUTH_URL") ?? Require("ST_AUTH")).TrimEnd('/');
        if (url.Contains("/v3", StringComparison.Ordinal) || Get("OS_APPLICATION_CREDENTIAL_SECRET") != null)
            return V3Async(url, cancellationToken);
        if (url.Contains("/v2", StringComparison.Ordinal))
            return V2Async(url, cancellationToken);
        return V1Async(url, Get("ST_USER") ?? Require("OS_USERNAME"), Get("ST_KEY") ?? Require("OS_PASSWORD"), cancellationToken);
    }

    private async Task<SwiftSession> V1Async(string url, string user, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("X-Auth-User", user);
        request.Headers.TryAddWithoutValidation("X-Auth-Key", key);
        using var response = await SendAsync(request, "authenticate (Swift v1)", cancellationToken).ConfigureAwait(false);
        var storage = Header(response, "X-Storage-Url");
        var token = Header(response, "X-Auth-Token");
        if (storage is null || token is null)
            throw new BackendException($"{_location}: the Swift v1 auth answer has no X-Storage-Url or X-Auth-Token");
        return new SwiftSession(storage.TrimEnd('/'), token);
    }

    private async Task<SwiftSession> V2Async(string url, CancellationToken cancellationToken)
    {
        var auth = new JsonObject
        {
            ["passwordCredentials"] = new JsonObject { ["username"] = Require("OS_USERNAME"), ["password"] = Require("OS_PASSWORD") },
        };
        if (Get("OS_TENANT_ID") is { } tenantId)
            auth["tenantId"] = tenantId;
        else if (Get("OS_TENANT_NAME") is { } tenantName)
            auth["tenantName"] = tenantName;
        using var response = await PostJsonAsync($"{url}/tokens", new JsonObject { ["auth"] = auth }, "authenticate (Keystone v2)", cancellationToken).ConfigureAwait(false);
        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var access = document.RootElement.GetProperty("access");
        var token = access.GetProperty("token").GetProperty("id").GetString()!;
        var endpoint = FindEndpoint(access.GetProperty("serviceCatalog"), e => Text(e, "publicURL"));
        return new SwiftSession(endpoint.TrimEnd('/'), token);
    }

    private async Task<SwiftSession> V3Async(string url, CancellationToken cancellationToken)
    {
        JsonObject identity;
        if (Get("OS_APPLICATION_CREDENTIAL_SECRET") is { } secret)
        {
            var credential = new JsonObject { ["secret"] = secret };
            if (Get("OS_APPLICATION_CREDENTIAL_ID") is { } id)
                credential["id"] = id;
            else
            {
                credential["name"] = Require("OS_APPLICATION_CREDENTIAL_NAME");
                credential["user"] = User();
            }
            identity = new JsonObject { ["methods"] = new JsonArray("application_credential"), ["application_credential"] = credential };
        }
        else
        {
            var user = User();
            user["password"] = Require("OS_PASSWORD");
            identity = new JsonObject { ["methods"] = new JsonArray("password"), ["password"] = new JsonObject { ["user"] = user } };
        }
        var auth = new JsonObject { ["identity"] = identity };
        if (Scope() is { } scope)
            auth["scope"] = scope;
        using var response = await PostJsonAsync($"{url}/auth/tokens", new JsonObject { ["auth"] = auth }, "authenticate (Keystone v3)", cancellationToken).ConfigureAwait(false);
        var token = Header(response, "X-Subject-Token") ?? throw new BackendException($"{_location}: the Keystone v3 answer has no X-Subject-Token");
        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var endpoint = FindEndpoint(document.RootElement.GetProperty("token").GetProperty("catalog"),
            e => Text(e, "interface") == (Get("OS_INTERFACE") ?? "public") ? Text(e, "url") : null);
        return new SwiftSession(endpoint.TrimEnd('/'), token);
    }

    private JsonObject User()
    {
        var user = Get("OS_USER_ID") is { } id ? new JsonObject { ["id"] = id } : new JsonObject { ["name"] = Require("OS_USERNAME") };
        if (Get("OS_USER_DOMAIN_ID") is { } domainId)
            user["domain"] = new JsonObject { ["id"] = domainId };
        else if (user.ContainsKey("name"))
            user["domain"] = new JsonObject { ["name"] = Get("OS_USER_DOMAIN_NAME") ?? "Default" };
        return user;
    }

    private JsonObject? Scope()
    {
        if (Get("OS_APPLICATION_CREDENTIAL_SECRET") != null)
            return null; // an application credential carries its own project
        if ((Get("OS_PROJECT_ID") ?? Get("OS_TENANT_ID")) is { } projectId)
            return new JsonObject { ["project"] = new JsonObject { ["id"] = projectId } };
        if ((Get("OS_PROJECT_NAME") ?? Get("OS_TENANT_NAME")) is not { } projectName)
            return null;
        var domain = Get("OS_PROJECT_DOMAIN_ID") is { } domainId
            ? new JsonObject { ["id"] = domainId }
            : new JsonObject { ["name"] = Get("OS_PROJECT_DOMAIN_NAME") ?? "Default" };
        return new JsonObject { ["project"] = new JsonObject { ["name"] = projectName, ["domain"] = domain } };
    }

    /// <summary>The object-store endpoint of the catalog in OS_REGION_NAME (or the first one when no region is set).</summary>
    private string FindEndpoint(JsonElement catalog, Func<JsonElement, string?> url)
    {
        var region = Get("OS_REGION_NAME");
        foreach (var service in catalog.EnumerateArray())
        {
            if (Text(service, "type") != "object-store")
                continue;
            foreach (var endpoint in service.GetProperty("endpoints").EnumerateArray())
                if ((region is null || Text(endpoint, "region") == region || Text(endpoint, "region_id") == region) && url(endpoint) is { } found)
                    return found;
        }
        throw new BackendException($"{_location}: the Keystone catalog has no object-store endpoint{(region is null ? "" : $" in region {region}")}");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private Task<HttpResponseMessage> PostJsonAsync(string url, JsonObject body, string what, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        return SendAsync(request, what, cancellationToken, dispose: true);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken, bool dispose = false)
    {
        try
        {
            var response = await HttpExchange.SendAsync(_client, request, _location, what, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return response;
            using (response)
            {
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    throw new BackendException($"{_location}: bad credentials (HTTP {(int)response.StatusCode}) while trying to {what}");
                throw HttpFailures.FromStatus(response.StatusCode, _location, what, await HttpExchange.ReadDetailAsync(response, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            if (dispose)
                request.Dispose();
        }
    }

    private async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException)
        {
            throw new BackendException($"{_location}: the Keystone answer is not the JSON expected");
        }
    }
}
