using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StashMount.Backends.Tests.Http;

namespace StashMount.Backends.Tests.Gcs;

/// <summary>
/// A minimal GCS JSON API on loopback, written from Google's public API docs, since no GCS emulator can be
/// installed here: the OAuth token endpoint for service-account JWTs (signature checked), bucket get, objects
/// list (prefix, maxResults, pageToken), object metadata, media download with Range, media upload with
/// ifGenerationMatch=0, delete. Every storage call needs a token it issued.
/// </summary>
public sealed class LoopbackGcsServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new();
    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private WebApplication? _app;

    public RSA Key { get; } = RSA.Create(2048);

    public string Bucket { get; } = "stash-backups";

    public string Endpoint { get; private set; } = "";

    public int TokensIssued => _tokens.Count;

    public string ServiceAccountJson() => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["project_id"] = "stashmount-test",
        ["private_key_id"] = "key-1",
        ["private_key"] = Key.ExportPkcs8PrivateKeyPem(),
        ["client_email"] = "backup@stashmount-test.iam.gserviceaccount.com",
        ["client_id"] = "1234567890",
        ["token_uri"] = $"{Endpoint}/token",
    });

    public async Task InitializeAsync()
    {
        (_app, var endpoint) = await LoopbackHttpApp.StartAsync(HandleAsync);
        Endpoint = endpoint;
    }

    public async Task DisposeAsync()
    {
        if (_app != null)
            await _app.DisposeAsync();
        Key.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (path == "/token" && request.Method == "POST")
        {
            await TokenAsync(context);
            return;
        }
        var auth = request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(auth["Bearer ".Length..]))
        {
            await ErrorAsync(context, 401, "Invalid Credentials");
            return;
        }
        var segments = path.Split('/');
        // /storage/v1/b/{bucket}[/o[/{object}]] and /upload/storage/v1/b/{bucket}/o
        var upload = segments.Length > 1 && segments[1] == "upload";
        var offset = upload ? 1 : 0;
        if (segments.Length < 5 + offset || segments[1 + offset] != "storage" || segments[3 + offset] != "b")
        {
            await ErrorAsync(context, 400, "bad path");
            return;
        }
        var bucket = Uri.UnescapeDataString(segments[4 + offset]);
        if (bucket != Bucket)
        {
            await ErrorAsync(context, 404, "The specified bucket does not exist.");
            return;
        }
        if (segments.Length == 5 + offset)
        {
            await context.Response.WriteAsJsonAsync(new { name = Bucket });
            return;
        }
        if (upload && request.Method == "POST" && request.Query["uploadType"] == "media")
        {
            var name = request.Query["name"].ToString();
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (request.Query["ifGenerationMatch"] == "0" ? !_objects.TryAdd(name, body.ToArray()) : false)
            {
                await ErrorAsync(context, 412, "Precondition Failed");
                return;
            }
            if (request.Query["ifGenerationMatch"] != "0")
                _objects[name] = body.ToArray();
            await context.Response.WriteAsJsonAsync(new { name, size = body.Length.ToString() });
            return;
        }
        if (segments.Length == 6 && request.Method == "GET")
        {
            await ListAsync(context);
            return;
        }
        var objectName = Uri.UnescapeDataString(string.Join('/', segments[6..]));
        if (!_objects.TryGetValue(objectName, out var data))
        {
            await ErrorAsync(context, 404, $"No such object: {Bucket}/{objectName}");
            return;
        }
        switch (request.Method)
        {
            case "DELETE":
                _objects.TryRemove(objectName, out _);
                context.Response.StatusCode = 204;
                return;
            case "GET" when request.Query["alt"] == "media":
                await MediaAsync(context, data);
                return;
            case "GET":
                await context.Response.WriteAsJsonAsync(new { name = objectName, size = data.Length.ToString() });
                return;
        }
        await ErrorAsync(context, 405, "method not allowed");
    }

    private async Task ListAsync(HttpContext context)
    {
        var prefix = context.Request.Query["prefix"].ToString();
        var max = int.TryParse(context.Request.Query["maxResults"], out var m) ? Math.Min(m, 1000) : 1000;
        var after = context.Request.Query["pageToken"].ToString();
        after = after.Length == 0 ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(after));
        var names = _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(k, after) > 0)
            .Order(StringComparer.Ordinal).Take(max + 1).ToList();
        var page = names.Take(max).Select(n => new { name = n, size = _objects.TryGetValue(n, out var d) ? d.Length.ToString() : "0" }).ToList();
        object result = names.Count > max
            ? new { kind = "storage#objects", items = page, nextPageToken = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].name)) }
            : new { kind = "storage#objects", items = page };
        await context.Response.WriteAsJsonAsync(result);
    }

    private static async Task MediaAsync(HttpContext context, byte[] data)
    {
        var range = context.Request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            var parts = range["bytes=".Length..].Split('-');
            var start = long.Parse(parts[0]);
            var end = parts[1].Length == 0 ? data.Length - 1 : Math.Min(long.Parse(parts[1]), data.Length - 1);
            if (start >= data.Length)
            {
                await ErrorAsync(context, 416, "Requested range not satisfiable");
                return;
            }
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {start}-{end}/{data.Length}";
            context.Response.ContentLength = end - start + 1;
            await context.Response.Body.WriteAsync(data.AsMemory((int)start, (int)(end - start + 1)));
            return;
        }
        context.Response.ContentLength = data.Length;
        await context.Response.Body.WriteAsync(data);
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var assertion = form["assertion"].ToString().Split('.');
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || assertion.Length != 3
            || !Key.VerifyData(Encoding.ASCII.GetBytes($"{assertion[0]}.{assertion[1]}"), Base64UrlDecode(assertion[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            await ErrorAsync(context, 400, "invalid_grant");
            return;
        }
        var token = "ya29.loopback-" + Guid.NewGuid().ToString("N");
        _tokens[token] = true;
        await context.Response.WriteAsJsonAsync(new { access_token = token, expires_in = 3600, token_type = "Bearer" });
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    private static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { code = status, message } });
    }
}
