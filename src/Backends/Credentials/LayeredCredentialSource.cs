namespace StashMount.Backends;

/// <summary>Asks each source in turn; the first that has a value wins (e.g. `--secret-dir` before the environment).</summary>
public sealed class LayeredCredentialSource : ICredentialSource
{
    private readonly ICredentialSource[] _sources;

    public LayeredCredentialSource(params ICredentialSource[] sources) => _sources = sources;

    public string? Get(string name)
    {
        foreach (var source in _sources)
            if (source.Get(name) is { } value)
                return value;
        return null;
    }
}
