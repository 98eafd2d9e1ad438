using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// A Repository kept in a BackupStorage, as found in the API or in the bucket's metadata.yaml/repository.yaml:
/// its directory below the storage root, the Secret holding its RESTIC_PASSWORD (read only when a component is
/// opened) and its components with the restic snapshots each KubeStash Snapshot recorded.
/// </summary>
public sealed record KubeStashStoredRepository(KubernetesObjectName Name, string Path, KubernetesObjectName? EncryptionSecret, IReadOnlyList<KubeStashComponent> Components)
{
    /// <summary>Reads the fields a Repository object (from the API or repository.yaml) carries; null without spec.path.</summary>
    internal static (KubernetesObjectName Name, string Path, KubernetesObjectName? Secret)? Describe(JsonElement repository, KubernetesObjectName? fallbackName)
    {
        var ns = repository.String("metadata", "namespace") ?? fallbackName?.Namespace;
        var name = repository.String("metadata", "name") ?? fallbackName?.Name;
        var path = repository.String("spec", "path");
        if (ns is null || name is null || path is null)
            return null;
        KubernetesObjectName? secret = repository.String("spec", "encryptionSecret", "name") is { } secretName
            ? new KubernetesObjectName(repository.String("spec", "encryptionSecret", "namespace") ?? ns, secretName)
            : null;
        return (new KubernetesObjectName(ns, name), ResticRepositoryStrings.JoinPath(path), secret);
    }
}
