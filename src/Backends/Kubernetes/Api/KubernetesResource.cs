namespace StashMount.Backends.Kubernetes;

/// <summary>One namespaced resource type of the Kubernetes API: where it is served and what it is called in messages.</summary>
public sealed record KubernetesResource(string Group, string Version, string Plural, string Kind)
{
    public static readonly KubernetesResource Secrets = new("", "v1", "secrets", "Secret");

    /// <summary>Stash v1: one Repository is one restic repository.</summary>
    public static readonly KubernetesResource StashRepositories = new("stash.appscode.com", "v1alpha1", "repositories", "Repository");

    public static readonly KubernetesResource KubeStashBackupStorages = new("storage.kubestash.com", "v1alpha1", "backupstorages", "BackupStorage");

    public static readonly KubernetesResource KubeStashRepositories = new("storage.kubestash.com", "v1alpha1", "repositories", "Repository");

    public static readonly KubernetesResource KubeStashSnapshots = new("storage.kubestash.com", "v1alpha1", "snapshots", "Snapshot");

    /// <summary>The resource name as kubectl and RBAC rules spell it: "secrets" or "repositories.stash.appscode.com".</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    private string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>The path of one object, of a namespace's collection (name null), or of all namespaces (both null).</summary>
    public string Path(string? @namespace, string? name = null)
    {
        var collection = @namespace is null
            ? $"{GroupVersionPath}/{Plural}"
            : $"{GroupVersionPath}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}";
        return name is null ? collection : $"{collection}/{Uri.EscapeDataString(name)}";
    }
}
