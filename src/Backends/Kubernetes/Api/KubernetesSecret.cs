using System.Text;
using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>A Secret's decoded data. Values are never put into messages; only key names are.</summary>
public sealed class KubernetesSecret
{
    private readonly Dictionary<string, string> _data;

    private KubernetesSecret(KubernetesObjectName name, Dictionary<string, string> data)
    {
        Name = name;
        _data = data;
    }

    public KubernetesObjectName Name { get; }

    public IReadOnlyDictionary<string, string> Data => _data;

    public static async Task<KubernetesSecret> GetAsync(KubernetesApiClient client, KubernetesObjectName name, CancellationToken cancellationToken)
    {
        var secret = await client.GetAsync(KubernetesResource.Secrets, name.Namespace, name.Name, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (secret.TryGetProperty("data", out var entries) && entries.ValueKind == JsonValueKind.Object)
            foreach (var entry in entries.EnumerateObject())
            {
                try
                {
                    data[entry.Name] = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Value.GetString() ?? ""));
                }
                catch (FormatException e)
                {
                    throw new KubernetesApiException($"Secret {name} key {entry.Name} is not valid base64", inner: e);
                }
            }
        return new KubernetesSecret(name, data);
    }

    public string Require(string key) =>
        _data.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new KubernetesApiException($"Secret {Name} has no key {key} (it has: {(_data.Count == 0 ? "no keys" : string.Join(", ", _data.Keys.Order()))})");

    /// <summary>The keys that are environment-variable names, as Stash exports them for restic.</summary>
    public Dictionary<string, string> EnvironmentStyleEntries() =>
        _data.Where(e => IsEnvironmentName(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static bool IsEnvironmentName(string key) =>
        key.Length > 0 && !char.IsDigit(key[0]) && key.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');
}
