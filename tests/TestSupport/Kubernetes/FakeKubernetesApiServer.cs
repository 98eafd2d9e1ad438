using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StashMount.TestSupport.Kubernetes;

/// <summary>
/// A loopback stand-in for the Kubernetes API server, serving GET on the object and collection paths the public
/// API defines. It checks bearer tokens or client certificates, and answers 401/403/404 with Status objects shaped
/// like the real server's. Resource types nobody added are "not served" (plain 404), like a missing CRD.
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _servedTypes = new(StringComparer.Ordinal);

    private FakeKubernetesApiServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; private set; }

    /// <summary>Bearer tokens the server accepts. Changing it mid-test simulates token rotation.</summary>
    public ConcurrentDictionary<string, byte> AcceptedTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Thumbprints of client certificates the server accepts.</summary>
    public ConcurrentDictionary<string, byte> AcceptedClientCertificates { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Paths the caller may not read (RBAC denial).</summary>
    public ConcurrentDictionary<string, byte> ForbiddenPaths { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Starts on 127.0.0.1 on a free port; HTTPS with <paramref name="certificate"/>, plain HTTP without.</summary>
    public static async Task<FakeKubernetesApiServer> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    // Which client certificates count is decided per request, like the API server's authenticator.
                    ClientCertificateValidation = (_, _, _) => true,
                });
        }));
        var app = builder.Build();
        var server = new FakeKubernetesApiServer(app, new Uri("http://127.0.0.1/"));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    /// <summary>Adds an object; apiVersion "v1" goes under /api/v1, "group/version" under /apis/group/version.</summary>
    public void Add(string apiVersion, string plural, string @namespace, string name, JsonObject body)
    {
        var prefix = apiVersion.Contains('/') ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
        body["apiVersion"] = apiVersion;
        var metadata = body["metadata"] as JsonObject ?? new JsonObject();
        metadata["name"] = name;
        metadata["namespace"] = @namespace;
        body["metadata"] = metadata;
        _servedTypes[$"{prefix}/{plural}"] = 0;
        _objects[$"{prefix}/namespaces/{@namespace}/{plural}/{name}"] = body;
    }

    public void AddSecret(string @namespace, string name, IDictionary<string, string> data)
    {
        var encoded = new JsonObject();
        foreach (var (key, value) in data)
            encoded[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        Add("v1", "secrets", @namespace, name, new JsonObject { ["kind"] = "Secret", ["type"] = "Opaque", ["data"] = encoded });
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue(path);
        if (!IsAuthenticated(context))
        {
            await WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized", null);
            return;
        }
        if (ForbiddenPaths.ContainsKey(path))
        {
            await WriteStatusAsync(context, 403, "Forbidden", $"forbidden: User \"test\" cannot get path \"{path}\"", null);
            return;
        }
        if (_objects.TryGetValue(path, out var found))
        {
            await WriteJsonAsync(context, 200, found.ToJsonString());
            return;
        }
        var (typePath, collectionFilter, name) = Classify(path);
        if (typePath is null || !_servedTypes.ContainsKey(typePath))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("404 page not found\n");
            return;
        }
        if (name is not null)
        {
            await WriteStatusAsync(context, 404, "NotFound", $"\"{name}\" not found", name);
            return;
        }
        var items = new JsonArray();
        foreach (var (key, value) in _objects.OrderBy(e => e.Key, StringComparer.Ordinal))
            if (collectionFilter(key))
                items.Add(value.DeepClone());
        await WriteJsonAsync(context, 200, new JsonObject { ["kind"] = "List", ["apiVersion"] = "v1", ["items"] = items }.ToJsonString());
    }

    private bool IsAuthenticated(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal) && AcceptedTokens.ContainsKey(header["Bearer ".Length..]))
            return true;
        return context.Connection.ClientCertificate is { } certificate && AcceptedClientCertificates.ContainsKey(certificate.Thumbprint);
    }

    /// <summary>Splits a path into its resource type, a filter for the collection's members, and the object name if any.</summary>
    private static (string? TypePath, Func<string, bool> Members, string? Name) Classify(string path)
    {
        var segments = path.Trim('/').Split('/');
        var prefixLength = segments.Length > 0 && segments[0] == "api" ? 2 : 3;
        if (segments.Length <= prefixLength)
            return (null, _ => false, null);
        var prefix = "/" + string.Join('/', segments[..prefixLength]);
        var rest = segments[prefixLength..];
        return rest switch
        {
            [var plural] => ($"{prefix}/{plural}", key => key.StartsWith(prefix + "/namespaces/", StringComparison.Ordinal) && key.Split('/')[^2] == plural, null),
            ["namespaces", var ns, var plural] => ($"{prefix}/{plural}", key => key.StartsWith($"{prefix}/namespaces/{ns}/{plural}/", StringComparison.Ordinal), null),
            ["namespaces", _, var plural, var name] => ($"{prefix}/{plural}", _ => false, name),
            _ => (null, _ => false, null),
        };
    }

    private static Task WriteStatusAsync(HttpContext context, int code, string reason, string message, string? name)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (name is not null)
            status["details"] = new JsonObject { ["name"] = name };
        return WriteJsonAsync(context, code, status.ToJsonString());
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, string json)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
