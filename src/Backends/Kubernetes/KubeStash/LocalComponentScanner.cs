namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Finds a KubeStash Repository's components on a local volume when the API lists none (no Snapshot objects, or
/// no right to read them): every repository/&lt;version&gt;/&lt;session&gt;/&lt;component&gt; directory holding a restic config.
/// </summary>
internal static class LocalComponentScanner
{
    public static IReadOnlyList<KubeStashComponent> Scan(KubeStashRepository repository)
    {
        var root = repository.Storage.RepositoryString(repository.Path);
        var versions = Path.Combine(root, "repository");
        if (!Directory.Exists(versions))
            return [];
        var found = new List<KubeStashComponent>();
        foreach (var version in Directory.EnumerateDirectories(versions))
            foreach (var session in Directory.EnumerateDirectories(version))
                foreach (var component in Directory.EnumerateDirectories(session))
                    if (File.Exists(Path.Combine(component, "config")))
                        found.Add(new KubeStashComponent(Path.GetFileName(session), Path.GetFileName(component),
                            ResticRepositoryStrings.JoinPath("repository", Path.GetFileName(version), Path.GetFileName(session), Path.GetFileName(component)),
                            new Dictionary<string, IReadOnlyList<string>>()));
        return [.. found.OrderBy(c => c.Path, StringComparer.Ordinal)];
    }
}
