namespace StashMount.Backends.Kubernetes;

/// <summary>
/// The plain objects of a BackupStorage beside its restic repositories (metadata.yaml, repository.yaml, Snapshot
/// YAMLs): keys are relative to the storage root (bucket + prefix, or the local volume).
/// </summary>
public interface IStorageObjects : IAsyncDisposable
{
    /// <summary>Every key below <paramref name="prefix"/> (a folder, no trailing slash needed), recursively.</summary>
    IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>The object's bytes, or null when there is no such object.</summary>
    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default);
}
