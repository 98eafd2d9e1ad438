using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StashMount.Backends.Tests.Http;

namespace StashMount.Backends.Tests.Swift;

/// <summary>
/// A minimal OpenStack Swift with Keystone on loopback, written from the public API references (no Swift or Keystone
/// can be installed here). Auth: TempAuth v1 (GET /auth/v1.0, X-Auth-User/X-Auth-Key), Keystone v2
/// (POST /v2.0/tokens, serviceCatalog publicURL) and v3 (POST /v3/auth/tokens with password or application
/// credential, X-Subject-Token, catalog by interface and region). Objects: container listing as JSON with prefix,
/// marker and limit; HEAD; ranged GET; PUT with If-None-Match: * and ETag (MD5) checks; DELETE. Only tokens it
/// issued are accepted, and they can be expired on demand.
/// </summary>
public sealed class LoopbackSwiftServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private WebApplication? _app;

    public string Container => "stash-swift";

    public string User => "tester";

    public string Password => "testing";

    public string Project => "backups";

    public string Domain => "Default";

    public string ApplicationCredentialId => "3c5e1f6a2b7d4e8f9a0b1c2d3e4f5a6b";

    public string ApplicationCredentialSecret => "app-secret";

    public string Endpoint { get; private set; } = "";

    public string StorageUrl => $"{Endpoint}/v1/AUTH_{Project}";

    public int TokensIssued => _tokens.Count;

    public async Task InitializeAsync()
    {
        (_app, var endpoint) = await LoopbackHttpApp.StartAsync(HandleAsync);
        Endpoint = endpoint;
    }

    public async Task DisposeAsync()
    {
        if (_app != null)
            await _app.DisposeAsync();
    }

    /// <summary>A fresh token, as an operator would hand out for OS_AUTH_TOKEN.</summary>
    public string IssueToken()
    {
        var token = "gAAAA" + Guid.NewGuid().ToString("N");
        _tokens[token] = true;
        return token;
    }

    public void ExpireTokens() => _tokens.Clear();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        switch (path)
        {
            case "/auth/v1.0" when request.Method == "GET":
                if (request.Headers["X-Auth-User"] != $"{Project}:{User}" || request.Headers["X-Auth-Key"] != Password)
                {
                    context.Response.StatusCode = 401;
                    return;
                }
                context.Response.Headers["X-Storage-Url"] = StorageUrl;
                context.Response.Headers["X-Auth-Token"] = IssueToken();
                context.Response.StatusCode = 200;
                return;
            case "/v2.0/tokens" when request.Method == "POST":
                await KeystoneV2Async(context);
                return;
            case "/v3/auth/tokens" when request.Method == "POST":
                await KeystoneV3Async(context);
                return;
        }
        if (!_tokens.ContainsKey(request.Headers["X-Auth-Token"].ToString()))
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("<html><h1>Unauthorized</h1><p>This server could not verify that you are authorized.</p></html>");
            return;
        }
        var account = $"/v1/AUTH_{Project}/";
        if (!path.StartsWith(account, StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }
        var rest = path[account.Length..];
        var slash = rest.IndexOf('/');
        var container = Uri.UnescapeDataString(slash < 0 ? rest : rest[..slash]);
        if (container != Container)
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (slash < 0 || slash == rest.Length - 1)
        {
            await ListAsync(context);
            return;
        }
        await ObjectAsync(context, Uri.UnescapeDataString(rest[(slash + 1)..]));
    }

    private async Task KeystoneV2Async(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        var credentials = body?["auth"]?["passwordCredentials"];
        var tenant = (string?)body?["auth"]?["tenantName"] ?? (string?)body?["auth"]?["tenantId"];
        if ((string?)credentials?["username"] != User || (string?)credentials?["password"] != Password || tenant != Project)
        {
            await JsonAsync(context, 401, new JsonObject { ["error"] = new JsonObject { ["code"] = 401, ["message"] = "The request you have made requires authentication." } });
            return;
        }
        var catalog = new JsonArray(
            new JsonObject { ["type"] = "identity", ["name"] = "keystone", ["endpoints"] = new JsonArray(new JsonObject { ["region"] = "RegionOne", ["publicURL"] = $"{Endpoint}/v2.0" }) },
            new JsonObject
            {
                ["type"] = "object-store", ["name"] = "swift",
                ["endpoints"] = new JsonArray(
                    new JsonObject { ["region"] = "RegionOne", ["publicURL"] = "http://127.0.0.1:9/v1/AUTH_elsewhere", ["internalURL"] = "http://127.0.0.1:9/internal" },
                    new JsonObject { ["region"] = "RegionTwo", ["publicURL"] = StorageUrl, ["internalURL"] = "http://127.0.0.1:9/internal" }),
            });
        await JsonAsync(context, 200, new JsonObject
        {
            ["access"] = new JsonObject
            {
                ["token"] = new JsonObject { ["id"] = IssueToken(), ["expires"] = DateTime.UtcNow.AddHours(1).ToString("O"), ["tenant"] = new JsonObject { ["name"] = Project } },
                ["serviceCatalog"] = catalog,
            },
        });
    }

    private async Task KeystoneV3Async(HttpContext context)
    {
        var identity = (await JsonNode.ParseAsync(context.Request.Body))?["auth"]?["identity"];
        var method = (string?)identity?["methods"]?[0];
        bool valid;
        if (method == "application_credential")
        {
            var credential = identity?["application_credential"];
            valid = (string?)credential?["id"] == ApplicationCredentialId && (string?)credential?["secret"] == ApplicationCredentialSecret;
        }
        else
        {
            var user = identity?["password"]?["user"];
            valid = method == "password" && (string?)user?["name"] == User && (string?)user?["password"] == Password && (string?)user?["domain"]?["name"] == Domain;
        }
        if (!valid)
        {
            await JsonAsync(context, 401, new JsonObject { ["error"] = new JsonObject { ["code"] = 401, ["title"] = "Unauthorized" } });
            return;
        }
        context.Response.Headers["X-Subject-Token"] = IssueToken();
        var endpoints = new JsonArray(
            new JsonObject { ["interface"] = "internal", ["region"] = "RegionOne", ["region_id"] = "RegionOne", ["url"] = "http://127.0.0.1:9/internal" },
            new JsonObject { ["interface"] = "public", ["region"] = "RegionOne", ["region_id"] = "RegionOne", ["url"] = StorageUrl });
        await JsonAsync(context, 201, new JsonObject
        {
            ["token"] = new JsonObject
            {
                ["methods"] = new JsonArray(method),
                ["expires_at"] = DateTime.UtcNow.AddHours(1).ToString("O"),
                ["catalog"] = new JsonArray(new JsonObject { ["type"] = "object-store", ["name"] = "swift", ["endpoints"] = endpoints }),
            },
        });
    }

    private async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var prefix = query["prefix"].ToString();
        var marker = query["marker"].ToString();
        var limit = int.TryParse(query["limit"], out var l) ? Math.Clamp(l, 1, 1000) : 1000;
        var page = new JsonArray();
        foreach (var name in _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(k, marker) > 0)
                     .Order(StringComparer.Ordinal).Take(limit))
            if (_objects.TryGetValue(name, out var data))
                page.Add(new JsonObject { ["name"] = name, ["bytes"] = data.Length, ["hash"] = Convert.ToHexStringLower(MD5.HashData(data)), ["content_type"] = "application/octet-stream" });
        await JsonAsync(context, 200, page);
    }

    private async Task ObjectAsync(HttpContext context, string name)
    {
        var request = context.Request;
        var response = context.Response;
        switch (request.Method)
        {
            case "PUT":
                using (var buffer = new MemoryStream())
                {
                    await request.Body.CopyToAsync(buffer);
                    var data = buffer.ToArray();
                    var etag = request.Headers.ETag.ToString();
                    if (etag.Length > 0 && etag != Convert.ToHexStringLower(MD5.HashData(data)))
                        response.StatusCode = 422;
                    else if (request.Headers.IfNoneMatch == "*" ? !_objects.TryAdd(name, data) : (_objects[name] = data) is null)
                        response.StatusCode = 412;
                    else
                        response.StatusCode = 201;
                }
                return;
            case "DELETE":
                response.StatusCode = _objects.TryRemove(name, out _) ? 204 : 404;
                return;
        }
        if (!_objects.TryGetValue(name, out var stored))
        {
            response.StatusCode = 404;
            return;
        }
        if (request.Method == "HEAD")
        {
            response.ContentLength = stored.Length;
            return;
        }
        await LoopbackHttpApp.WriteBytesAsync(context, stored, () =>
        {
            response.StatusCode = 416;
            return Task.CompletedTask;
        });
    }

    private static Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }
}
