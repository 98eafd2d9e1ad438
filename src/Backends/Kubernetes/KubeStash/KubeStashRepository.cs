namespace StashMount.Backends.Kubernetes;

/// <summary>
/// A KubeStash Repository resolved to its storage: <see cref="Path"/> is relative to the BackupStorage root and
/// <see cref="Credentials"/> already holds RESTIC_PASSWORD from the encryption Secret.
/// </summary>
public sealed record KubeStashRepository(KubernetesObjectName Name, string Path, KubeStashStorage Storage, IReadOnlyDictionary<string, string> Credentials)
{
    /// <summary>The restic repository of one component (session/component below repository/v1).</summary>
    public ResolvedRepository Component(string session, string component) =>
        Component(new KubeStashComponent(session, component, ComponentPath(session, component), new Dictionary<string, IReadOnlyList<string>>()));

    /// <summary>The restic repository of a component found in the API (its recorded path wins over the formula).</summary>
    public ResolvedRepository Component(KubeStashComponent component) =>
        new(Storage.RepositoryString(ResticRepositoryStrings.JoinPath(Path, component.Path)), Credentials)
        {
            InsecureTls = Storage.InsecureTls,
            Connections = Storage.Connections,
            Source = $"KubeStash Repository {Name}, component {component.Key}",
        };

    /// <summary>KubeStash's layout: repository/&lt;version&gt;/&lt;session&gt;/&lt;component&gt; below the Repository path; version is v1 today.</summary>
    public static string ComponentPath(string session, string component) => ResticRepositoryStrings.JoinPath("repository", "v1", session, component);
}
