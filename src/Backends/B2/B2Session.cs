using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StashMount.Backends.Http;

namespace StashMount.Backends.B2;

/// <summary>
/// One authorized B2 account: b2_authorize_account with the account (or application) key, re-run when B2 says the
/// token expired, and JSON API calls (POST {apiUrl}/b2api/v2/NAME with the token) mapped to backend exceptions.
/// Hand-written over HttpClient because no B2 client package is served here.
/// </summary>
internal sealed class B2Session
{
    private readonly HttpClient _client;
    private readonly string _authUrl;
    private readonly string _accountId;
    private readonly string _accountKey;
    private readonly string _location;
    private readonly SemaphoreSlim _authorizing = new(1, 1);
    private B2Authorization? _current;

    public B2Session(HttpClient client, string authUrl, string accountId, string accountKey, string location)
    {
        _client = client;
        _authUrl = authUrl.TrimEnd('/');
        _accountId = accountId;
        _accountKey = accountKey;
        _location = location;
    }

    public async Task<B2Authorization> AuthorizationAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } current)
            return current;
        await _authorizing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _current ??= await AuthorizeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _authorizing.Release();
        }
    }

    /// <summary>Forgets <paramref name="stale"/> so the next call authorizes again (B2 tokens live 24 hours).</summary>
    public void Expire(B2Authorization stale) => Interlocked.CompareExchange(ref _current, null, stale);

    private async Task<B2Authorization> AuthorizeAsync(CancellationToken cancellationToken)
    {
        const string what = "authorize the B2 account";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_authUrl}/b2api/v2/b2_authorize_account");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_accountId}:{_accountKey}")));
        using var response = await HttpExchange.SendAsync(_client, request, _location, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new BackendException($"{_location}: bad credentials (HTTP 401) while trying to {what}; check B2_ACCOUNT_ID and B2_ACCOUNT_KEY");
        using var document = await ReadJsonAsync(response, what, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var allowed = root.TryGetProperty("allowed", out var a) ? a : default;
        return new B2Authorization(
            root.GetProperty("accountId").GetString()!,
            root.GetProperty("authorizationToken").GetString()!,
            root.GetProperty("apiUrl").GetString()!.TrimEnd('/'),
            root.GetProperty("downloadUrl").GetString()!.TrimEnd('/'),
            StringOrNull(allowed, "bucketId"),
            StringOrNull(allowed, "bucketName"));
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Calls one JSON API operation; an expired token is renewed once. Returns null for B2's 404 not_found.</summary>
    public async Task<JsonDocument?> CallAsync(string operation, JsonObject body, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var authorization = await AuthorizationAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{authorization.ApiUrl}/b2api/v2/{operation}");
            request.Headers.TryAddWithoutValidation("Authorization", authorization.Token);
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await HttpExchange.SendAsync(_client, request, _location, what, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return await ReadJsonAsync(response, what, cancellationToken).ConfigureAwait(false);
            var (code, message) = await ErrorOfAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && code is "expired_auth_token" or "bad_auth_token" && attempt == 0)
            {
                Expire(authorization);
                continue;
            }
            if (response.StatusCode == HttpStatusCode.NotFound || code is "not_found" or "file_not_present")
                return null;
            throw Failure(response.StatusCode, code, message, what);
        }
    }

    public BackendException Failure(HttpStatusCode status, string? code, string? message, string what)
    {
        var detail = code is null ? message : $"{code}: {message}";
        if (status == HttpStatusCode.Unauthorized && code is "unauthorized")
            return new BackendException($"{_location}: access denied by B2 while trying to {what} ({HttpFailures.OneLine(message ?? "")})");
        return HttpFailures.FromStatus(status, _location, what, detail);
    }

    /// <summary>B2 answers errors as {"status", "code", "message"}.</summary>
    public static async Task<(string? Code, string? Message)> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await HttpExchange.ReadDetailAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            return (StringOrNull(document.RootElement, "code"), StringOrNull(document.RootElement, "message"));
        }
        catch (JsonException)
        {
            return (null, text);
        }
    }

    public async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var (code, message) = await ErrorOfAsync(response, cancellationToken).ConfigureAwait(false);
            throw Failure(response.StatusCode, code, message, what);
        }
        return await HttpExchange.ReadJsonAsync(response, _location, what, "B2", cancellationToken).ConfigureAwait(false);
    }
}
