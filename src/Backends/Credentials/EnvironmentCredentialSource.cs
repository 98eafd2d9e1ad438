namespace StashMount.Backends;

/// <summary>Credentials from the process environment, as restic reads them.</summary>
public sealed class EnvironmentCredentialSource : ICredentialSource
{
    public static readonly EnvironmentCredentialSource Instance = new();

    public string? Get(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
