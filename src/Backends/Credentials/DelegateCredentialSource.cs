namespace StashMount.Backends;

/// <summary>Credentials from a lookup function, e.g. the CLI's view of the environment with --secret-dir applied.</summary>
public sealed class DelegateCredentialSource : ICredentialSource
{
    private readonly Func<string, string?> _lookup;

    public DelegateCredentialSource(Func<string, string?> lookup) => _lookup = lookup;

    public string? Get(string name) => _lookup(name) is { Length: > 0 } value ? value : null;
}
