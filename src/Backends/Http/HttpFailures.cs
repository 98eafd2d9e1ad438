using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace StashMount.Backends.Http;

/// <summary>
/// Turns HTTP answers and transport errors into the backend exception kinds: transient ones (throttling, 5xx,
/// dropped connections) are retried by the decorators, the rest become one clear line for the user.
/// </summary>
public static class HttpFailures
{
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The exception for an unsuccessful answer; 404 is the caller's to interpret before calling this.</summary>
    public static BackendException FromStatus(HttpStatusCode status, string location, string what, string? detail = null)
    {
        var code = (int)status;
        var suffix = string.IsNullOrWhiteSpace(detail) ? "" : $" ({OneLine(detail)})";
        if (IsTransient(status))
            return new TransientBackendException($"{location}: {what} failed with HTTP {code}{suffix}, will retry");
        return status switch
        {
            HttpStatusCode.Unauthorized => new BackendException($"{location}: bad credentials (HTTP 401) while trying to {what}{suffix}"),
            HttpStatusCode.Forbidden => new BackendException($"{location}: access denied (HTTP 403) while trying to {what}{suffix}"),
            _ => new BackendException($"{location}: {what} failed with HTTP {code}{suffix}"),
        };
    }

    /// <summary>Transport failures: TLS problems are permanent, refused/reset connections are transient.</summary>
    public static BackendException FromTransport(Exception e, string location, string what)
    {
        for (var inner = e; inner != null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
                return new BackendException($"{location}: TLS failure while trying to {what}: {OneLine(inner.Message)} (use --cacert or --insecure-tls)", e);
            if (inner is SocketException socket)
            {
                if (socket.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
                    return new BackendException($"{location}: unknown host ({socket.SocketErrorCode})", e);
                return new TransientBackendException($"{location}: cannot reach the server while trying to {what} ({socket.SocketErrorCode})", e);
            }
        }
        return new TransientBackendException($"{location}: connection failed while trying to {what}: {OneLine(e.Message)}", e);
    }

    public static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
