namespace StashMount.Backends;

/// <summary>Credentials given in code (tests, or values already read from a Kubernetes Secret through the API).</summary>
public sealed class DictionaryCredentialSource : ICredentialSource
{
    private readonly IReadOnlyDictionary<string, string> _values;

    public DictionaryCredentialSource(IReadOnlyDictionary<string, string> values) => _values = values;

    public string? Get(string name) => _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
}
