using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Read-only access to the few API paths StashMount needs. Hand-written over HttpClient because the
/// KubernetesClient package is not served here; we need only GET on a handful of resources.
/// </summary>
public sealed class KubernetesApiClient : IDisposable
{
    /// <summary>How long an unreachable or silent API server may take before we say so.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public KubernetesApiClient(KubernetesEndpoint endpoint, TimeSpan? timeout = null)
    {
        Endpoint = endpoint;
        _timeout = timeout ?? DefaultTimeout;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ServerCertificateValidation.IsTrusted(endpoint, certificate, chain, errors),
            },
        };
        if (endpoint.ClientCertificate is not null)
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { endpoint.ClientCertificate };
        _http = new HttpClient(handler) { BaseAddress = endpoint.Server, Timeout = Timeout.InfiniteTimeSpan };
    }

    public KubernetesEndpoint Endpoint { get; }

    /// <summary>GETs one object; throws <see cref="KubernetesApiException"/> with a one-line message on any failure.</summary>
    public Task<JsonElement> GetAsync(KubernetesResource resource, string @namespace, string name, CancellationToken cancellationToken = default) =>
        SendAsync(resource, "get", @namespace, name, resource.Path(@namespace, name), cancellationToken);

    /// <summary>Lists the items of a namespace's collection, or of every namespace when <paramref name="namespace"/> is null.</summary>
    public async Task<IReadOnlyList<JsonElement>> ListAsync(KubernetesResource resource, string? @namespace, CancellationToken cancellationToken = default)
    {
        var list = await SendAsync(resource, "list", @namespace, null, resource.Path(@namespace), cancellationToken).ConfigureAwait(false);
        return list.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array ? [.. items.EnumerateArray()] : [];
    }

    private async Task<JsonElement> SendAsync(KubernetesResource resource, string verb, string? @namespace, string? name, string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (Endpoint.Token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Endpoint.Token.GetTokenAsync(timeout.Token).ConfigureAwait(false));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw ApiErrorMessages.ForStatus(Endpoint, response.StatusCode, body, resource, verb, @namespace, name);
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesApiException($"the Kubernetes API server {Endpoint.Server} did not answer within {_timeout.TotalSeconds:0} s (from {Endpoint.Source})");
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException($"the Kubernetes API server {Endpoint.Server} is unreachable (from {Endpoint.Source}): {Describe(e)}", inner: e);
        }
        catch (JsonException e)
        {
            throw new KubernetesApiException($"the Kubernetes API server {Endpoint.Server} answered {verb} {resource.QualifiedName} with invalid JSON", inner: e);
        }
    }

    private static string Describe(HttpRequestException e) => e.InnerException switch
    {
        SocketException s => s.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            _ => s.Message,
        },
        System.Security.Authentication.AuthenticationException => "TLS handshake failed (is the cluster CA right?)",
        _ => e.HttpRequestError == HttpRequestError.SecureConnectionError ? "TLS handshake failed (is the cluster CA right?)" : e.Message,
    };

    public void Dispose() => _http.Dispose();
}
