using System.Net;
using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>Turns an API server's error answer (usually a Status object) into one line that says what to fix.</summary>
internal static class ApiErrorMessages
{
    public static KubernetesApiException ForStatus(KubernetesEndpoint endpoint, HttpStatusCode status, byte[] body,
        KubernetesResource resource, string verb, string? @namespace, string? name)
    {
        var code = (int)status;
        var (reason, serverMessage, hasDetails) = ReadStatus(body);
        var where = @namespace is null ? "across all namespaces" : $"in namespace \"{@namespace}\"";
        var what = name is null ? resource.QualifiedName : $"{resource.QualifiedName} \"{name}\"";
        var message = status switch
        {
            HttpStatusCode.Forbidden =>
                $"Kubernetes RBAC denied access: cannot {verb} {what} {where} (grant \"{verb}\" on \"{resource.QualifiedName}\" to the identity from {endpoint.Source}; see deploy/rbac.yaml)",
            HttpStatusCode.Unauthorized =>
                $"the Kubernetes API server {endpoint.Server} rejected the credentials from {endpoint.Source} (401 Unauthorized)",
            // A 404 with a NotFound Status names a missing object; without one, the resource type itself is not served.
            HttpStatusCode.NotFound when hasDetails || reason == "NotFound" =>
                $"{resource.Kind} {(@namespace is null ? "" : @namespace + "/")}{name} not found ({resource.QualifiedName} {where})",
            HttpStatusCode.NotFound =>
                $"the Kubernetes API server does not serve {resource.QualifiedName}/{resource.Version} (is {OwnerOf(resource)} installed?)",
            _ => $"Kubernetes API {verb} {what} {where} failed: {code} {reason ?? status.ToString()}{(serverMessage is null ? "" : ": " + serverMessage)}",
        };
        return new KubernetesApiException(message, code);
    }

    private static string OwnerOf(KubernetesResource resource) => resource.Group switch
    {
        "stash.appscode.com" => "Stash",
        "storage.kubestash.com" => "KubeStash",
        _ => "the operator that defines it",
    };

    private static (string? Reason, string? Message, bool HasDetails) ReadStatus(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || kind.GetString() != "Status")
                return (null, null, false);
            var reason = root.TryGetProperty("reason", out var r) ? r.GetString() : null;
            var message = root.TryGetProperty("message", out var m) ? m.GetString()?.Split('\n')[0] : null;
            var hasDetails = root.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("name", out _);
            return (reason, message, hasDetails);
        }
        catch (JsonException)
        {
            return (null, null, false);
        }
    }
}
