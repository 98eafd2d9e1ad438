namespace StashMount.Backends.Kubernetes;

/// <summary>
/// One backup component of a KubeStash Repository: its own restic repository at
/// &lt;Repository spec.path&gt;/repository/v1/&lt;session&gt;/&lt;component&gt;, with the restic snapshot IDs the
/// KubeStash Snapshot objects recorded for it (keyed by KubeStash Snapshot name).
/// </summary>
public sealed record KubeStashComponent(string Session, string Component, string Path, IReadOnlyDictionary<string, IReadOnlyList<string>> ResticSnapshotsBySnapshot)
{
    /// <summary>SESSION/COMPONENT, as --kubestash-component takes it.</summary>
    public string Key => $"{Session}/{Component}";
}
