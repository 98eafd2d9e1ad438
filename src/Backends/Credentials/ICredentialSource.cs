namespace StashMount.Backends;

/// <summary>Looks up a credential by the name restic and Stash use (see <see cref="CredentialNames"/>).</summary>
public interface ICredentialSource
{
    /// <summary>The value, or null when it is not set (an empty value counts as not set, as in restic).</summary>
    string? Get(string name);
}
