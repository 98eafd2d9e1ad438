using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StashMount.Backends.Tests.Http;

namespace StashMount.Backends.Tests.B2;

/// <summary>
/// A minimal B2 native API on loopback, written from Backblaze's public API docs (no B2 server can be installed
/// here): b2_authorize_account with Basic auth, b2_list_buckets, b2_list_file_names (prefix, startFileName,
/// maxFileCount, nextFileName), b2_get_upload_url and the upload URL (own token, X-Bz-Content-Sha1 checked),
/// b2_download_file_by_name with Range, b2_hide_file, b2_delete_file_version. Every upload adds a version, as in
/// B2. Tokens can be expired on demand to exercise re-authorization.
/// </summary>
public sealed class LoopbackB2Server : IAsyncLifetime
{
    private sealed record Version(string Id, string Action, byte[] Data);

    private readonly object _lock = new();
    private readonly SortedDictionary<string, List<Version>> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tokens = [];
    private readonly Dictionary<string, string> _uploadTokens = [];
    private WebApplication? _app;
    private int _nextId;

    public string AccountId => "000a1b2c3d4e5f60000000001";

    public string AccountKey => "K000loopbackapplicationkey000001";

    public string Bucket => "stash-b2";

    public string BucketId => "4a48fe8875c6214145260818";

    public string Endpoint { get; private set; } = "";

    public int Authorizations { get; private set; }

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

    /// <summary>Every token issued so far now answers 401 expired_auth_token, as after B2's 24 hours.</summary>
    public void ExpireTokens()
    {
        lock (_lock)
        {
            _tokens.Clear();
            _uploadTokens.Clear();
        }
    }

    /// <summary>How many versions (uploads and hide markers) a file name has.</summary>
    public int VersionCount(string fileName)
    {
        lock (_lock)
            return _files.TryGetValue(fileName, out var versions) ? versions.Count : 0;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/b2api/v2/b2_authorize_account")
        {
            await AuthorizeAsync(context);
            return;
        }
        var token = context.Request.Headers.Authorization.ToString();
        if (path.StartsWith("/upload/", StringComparison.Ordinal))
        {
            await UploadAsync(context, path["/upload/".Length..], token);
            return;
        }
        bool known;
        lock (_lock) known = _tokens.Contains(token);
        if (!known)
        {
            await ErrorAsync(context, 401, "expired_auth_token", "Authorization token has expired");
            return;
        }
        if (path.StartsWith("/file/", StringComparison.Ordinal) && context.Request.Method is "GET")
        {
            await DownloadAsync(context, path["/file/".Length..]);
            return;
        }
        if (context.Request.Method != "POST" || !path.StartsWith("/b2api/v2/", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 400, "bad_request", "unknown call");
            return;
        }
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        var bucketId = (string?)body["bucketId"];
        if (bucketId != null && bucketId != BucketId)
        {
            await ErrorAsync(context, 400, "bad_request", "Invalid bucketId: " + bucketId);
            return;
        }
        switch (path["/b2api/v2/".Length..])
        {
            case "b2_list_buckets":
                var wanted = (string?)body["bucketName"];
                var buckets = wanted is null || wanted == Bucket
                    ? new JsonArray(new JsonObject { ["accountId"] = AccountId, ["bucketId"] = BucketId, ["bucketName"] = Bucket, ["bucketType"] = "allPrivate" })
                    : [];
                await WriteAsync(context, new JsonObject { ["buckets"] = buckets });
                return;
            case "b2_list_file_names":
                await WriteAsync(context, ListFileNames((string?)body["prefix"] ?? "", (string?)body["startFileName"], (int?)body["maxFileCount"] ?? 100));
                return;
            case "b2_get_upload_url":
                var uploadToken = "upload-" + Guid.NewGuid().ToString("N");
                var id = Guid.NewGuid().ToString("N");
                lock (_lock) _uploadTokens[id] = uploadToken;
                await WriteAsync(context, new JsonObject { ["bucketId"] = BucketId, ["uploadUrl"] = $"{Endpoint}/upload/{id}", ["authorizationToken"] = uploadToken });
                return;
            case "b2_hide_file":
                var hidden = AddVersion((string)body["fileName"]!, "hide", []);
                await WriteAsync(context, FileInfo((string)body["fileName"]!, hidden));
                return;
            case "b2_delete_file_version":
                await DeleteVersionAsync(context, (string)body["fileName"]!, (string)body["fileId"]!);
                return;
        }
        await ErrorAsync(context, 400, "bad_request", "unknown call");
    }

    private async Task AuthorizeAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountId}:{AccountKey}"));
        if (header != expected)
        {
            await ErrorAsync(context, 401, "unauthorized", "The applicationKeyId and/or the applicationKey are wrong.");
            return;
        }
        var token = "4_" + Guid.NewGuid().ToString("N");
        lock (_lock)
        {
            _tokens.Add(token);
            Authorizations++;
        }
        await WriteAsync(context, new JsonObject
        {
            ["accountId"] = AccountId,
            ["authorizationToken"] = token,
            ["apiUrl"] = Endpoint,
            ["downloadUrl"] = Endpoint,
            ["recommendedPartSize"] = 100_000_000,
            ["absoluteMinimumPartSize"] = 5_000_000,
            ["allowed"] = new JsonObject { ["capabilities"] = new JsonArray("listBuckets", "listFiles", "readFiles", "writeFiles", "deleteFiles"), ["bucketId"] = null, ["bucketName"] = null, ["namePrefix"] = null },
        });
    }

    private JsonObject ListFileNames(string prefix, string? start, int max)
    {
        max = Math.Clamp(max, 1, 1000);
        var files = new JsonArray();
        string? next = null;
        lock (_lock)
        {
            foreach (var (name, versions) in _files)
            {
                if (!name.StartsWith(prefix, StringComparison.Ordinal) || (start != null && string.CompareOrdinal(name, start) < 0) || versions[^1].Action != "upload")
                    continue;
                if (files.Count == max)
                {
                    next = name;
                    break;
                }
                files.Add(FileInfo(name, versions[^1]));
            }
        }
        return new JsonObject { ["files"] = files, ["nextFileName"] = next };
    }

    private JsonObject FileInfo(string name, Version version) => new()
    {
        ["accountId"] = AccountId,
        ["action"] = version.Action,
        ["bucketId"] = BucketId,
        ["contentLength"] = version.Data.Length,
        ["contentSha1"] = Convert.ToHexStringLower(SHA1.HashData(version.Data)),
        ["contentType"] = "application/octet-stream",
        ["fileId"] = version.Id,
        ["fileName"] = name,
        ["uploadTimestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
    };

    private Version AddVersion(string name, string action, byte[] data)
    {
        lock (_lock)
        {
            var version = new Version($"4_z{BucketId}_f{++_nextId:D10}", action, data);
            if (!_files.TryGetValue(name, out var versions))
                _files[name] = versions = [];
            versions.Add(version);
            return version;
        }
    }

    private async Task UploadAsync(HttpContext context, string uploadId, string token)
    {
        bool valid;
        lock (_lock) valid = _uploadTokens.TryGetValue(uploadId, out var expected) && expected == token;
        if (!valid)
        {
            await ErrorAsync(context, 401, "expired_auth_token", "upload authorization token expired");
            return;
        }
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var data = buffer.ToArray();
        var name = Uri.UnescapeDataString(context.Request.Headers["X-Bz-File-Name"].ToString());
        if (name.Length == 0 || context.Request.Headers["X-Bz-Content-Sha1"].ToString() != Convert.ToHexStringLower(SHA1.HashData(data)))
        {
            await ErrorAsync(context, 400, "bad_request", "Sha1 did not match data received");
            return;
        }
        await WriteAsync(context, FileInfo(name, AddVersion(name, "upload", data)));
    }

    private async Task DownloadAsync(HttpContext context, string bucketAndName)
    {
        var slash = bucketAndName.IndexOf('/');
        var name = Uri.UnescapeDataString(bucketAndName[(slash + 1)..]);
        byte[]? data = null;
        lock (_lock)
            if (bucketAndName[..slash] == Bucket && _files.TryGetValue(name, out var versions) && versions[^1].Action == "upload")
                data = versions[^1].Data;
        if (data is null)
        {
            await ErrorAsync(context, 404, "not_found", "File with such name does not exist.");
            return;
        }
        await LoopbackHttpApp.WriteBytesAsync(context, data, () => ErrorAsync(context, 416, "range_not_satisfiable", "The range requested is not satisfiable"));
    }

    private async Task DeleteVersionAsync(HttpContext context, string name, string id)
    {
        var removed = false;
        lock (_lock)
        {
            if (_files.TryGetValue(name, out var versions))
            {
                removed = versions.RemoveAll(v => v.Id == id) > 0;
                if (versions.Count == 0)
                    _files.Remove(name);
            }
        }
        if (!removed)
        {
            await ErrorAsync(context, 400, "file_not_present", "File not present: " + name);
            return;
        }
        await WriteAsync(context, new JsonObject { ["fileId"] = id, ["fileName"] = name });
    }

    private static Task WriteAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return WriteAsync(context, new JsonObject { ["status"] = status, ["code"] = code, ["message"] = message });
    }
}
