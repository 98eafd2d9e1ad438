using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Finds a BackupStorage's Repositories and their components. The API is asked first; the bucket fills the gaps
/// (Repositories whose objects are gone or not readable, components no Snapshot names yet). Each source that
/// cannot be read is logged once and skipped.
/// </summary>
internal sealed class KubeStashStorageScanner(KubernetesApiClient client, KubeStashStorage storage, IStorageObjects? objects, Action<string> log)
{
    private const string MetadataFile = "metadata.yaml";
    private const string RepositoryFile = "repository.yaml";

    public async Task<IReadOnlyList<KubeStashStoredRepository>> ScanAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<KubernetesObjectName, JsonElement>();
        foreach (var candidate in await ListOrNoneAsync(KubernetesResource.KubeStashRepositories, cancellationToken).ConfigureAwait(false))
            if (candidate.String("metadata", "name") is { } name && candidate.String("metadata", "namespace") is { } ns
                && candidate.String("spec", "storageRef", "name") == storage.Name.Name
                && (candidate.String("spec", "storageRef", "namespace") ?? ns) == storage.Name.Namespace)
                found[new KubernetesObjectName(ns, name)] = candidate;
        var inApi = found.Keys.ToHashSet();

        // Repositories the bucket knows (metadata.yaml) but the API does not show: their repository.yaml stands in.
        foreach (var (name, path) in await ListedInMetadataAsync(cancellationToken).ConfigureAwait(false))
            if (!found.ContainsKey(name))
                found[name] = await RepositoryYamlAsync(path, cancellationToken).ConfigureAwait(false)
                    ?? JsonSerializer.SerializeToElement(new { metadata = new { name.Name, name.Namespace }, spec = new { path } });
        if (found.Count == 0)
            foreach (var repository in await SearchRepositoryYamlsAsync(cancellationToken).ConfigureAwait(false))
                if (KubeStashStoredRepository.Describe(repository, null) is { } described)
                    found[described.Name] = repository;

        var snapshots = await ListOrNoneAsync(KubernetesResource.KubeStashSnapshots, cancellationToken).ConfigureAwait(false);
        var result = new List<KubeStashStoredRepository>();
        foreach (var (key, repository) in found.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal))
        {
            if (KubeStashStoredRepository.Describe(repository, key) is not { } described)
            {
                log($"KubeStash Repository {key} has no spec.path; left out");
                continue;
            }
            var inNamespace = snapshots.Where(s => s.String("metadata", "namespace") is not { } ns || ns == key.Namespace).ToList();
            inNamespace.AddRange(await SnapshotYamlsAsync(described.Path, cancellationToken).ConfigureAwait(false));
            var components = KubeStashComponents.Collect(key.Name, repository, inNamespace);
            // The API keeps componentPaths current; only a Repository it does not know needs its bucket folder listed.
            if (components.Count == 0 || !inApi.Contains(key))
                components = Merge(components, await ComponentsInBucketAsync(described.Path, cancellationToken).ConfigureAwait(false));
            result.Add(new KubeStashStoredRepository(described.Name, described.Path, described.Secret, components));
        }
        return result;
    }

    private static IReadOnlyList<KubeStashComponent> Merge(IReadOnlyList<KubeStashComponent> known, IReadOnlyList<KubeStashComponent> found) =>
        [.. known.Concat(found.Where(f => !known.Any(k => k.Path == f.Path))).OrderBy(c => c.Path, StringComparer.Ordinal)];

    /// <summary>All namespaces when RBAC allows, else the storage's namespace, else nothing (logged once).</summary>
    private async Task<IReadOnlyList<JsonElement>> ListOrNoneAsync(KubernetesResource resource, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                return await client.ListAsync(resource, null, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 403)
            {
                return await client.ListAsync(resource, storage.Name.Namespace, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (KubernetesApiException e) when (e.StatusCode is 403 or 404)
        {
            log($"{e.Message}; using what the bucket holds");
            return [];
        }
    }

    private async Task<IReadOnlyList<(KubernetesObjectName Name, string Path)>> ListedInMetadataAsync(CancellationToken cancellationToken)
    {
        var listed = new List<(KubernetesObjectName, string)>();
        if (await ReadYamlAsync(MetadataFile, cancellationToken).ConfigureAwait(false) is { } metadata
            && metadata.Child("repositories") is { ValueKind: JsonValueKind.Array } repositories)
            foreach (var entry in repositories.EnumerateArray())
                if (entry.String("name") is { } name && entry.String("path") is { } path)
                    listed.Add((new KubernetesObjectName(entry.String("namespace") ?? storage.Name.Namespace, name), ResticRepositoryStrings.JoinPath(path)));
        return listed;
    }

    private Task<JsonElement?> RepositoryYamlAsync(string path, CancellationToken cancellationToken) =>
        ReadYamlAsync(ResticRepositoryStrings.JoinPath(path, RepositoryFile), cancellationToken);

    /// <summary>Without the API and metadata.yaml, the only way left: every repository.yaml in the storage (lists all objects once).</summary>
    private async Task<IReadOnlyList<JsonElement>> SearchRepositoryYamlsAsync(CancellationToken cancellationToken)
    {
        var result = new List<JsonElement>();
        foreach (var key in await KeysAsync("", k => k.EndsWith("/" + RepositoryFile, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false))
            if (await ReadYamlAsync(key, cancellationToken).ConfigureAwait(false) is { } repository && repository.String("kind") is null or "Repository")
                result.Add(repository);
        return result;
    }

    private async Task<IReadOnlyList<JsonElement>> SnapshotYamlsAsync(string repositoryPath, CancellationToken cancellationToken)
    {
        var result = new List<JsonElement>();
        var folder = ResticRepositoryStrings.JoinPath(repositoryPath, "snapshots");
        foreach (var key in await KeysAsync(folder, k => k.EndsWith(".yaml", StringComparison.Ordinal), cancellationToken).ConfigureAwait(false))
            if (await ReadYamlAsync(key, cancellationToken).ConfigureAwait(false) is { } snapshot && snapshot.String("kind") == "Snapshot")
                result.Add(snapshot);
        return result;
    }

    /// <summary>repository/&lt;version&gt;/&lt;session&gt;/&lt;component&gt;/config below the Repository path.</summary>
    private async Task<IReadOnlyList<KubeStashComponent>> ComponentsInBucketAsync(string repositoryPath, CancellationToken cancellationToken)
    {
        var folder = ResticRepositoryStrings.JoinPath(repositoryPath, "repository");
        var components = new List<KubeStashComponent>();
        foreach (var key in await KeysAsync(folder, k => k.EndsWith("/config", StringComparison.Ordinal), cancellationToken).ConfigureAwait(false))
        {
            var segments = key[(folder.Length + 1)..].Split('/');
            if (segments.Length == 4)
                components.Add(new KubeStashComponent(segments[1], segments[2],
                    ResticRepositoryStrings.JoinPath("repository", segments[0], segments[1], segments[2]), new Dictionary<string, IReadOnlyList<string>>()));
        }
        return [.. components.OrderBy(c => c.Path, StringComparer.Ordinal)];
    }

    private async Task<IReadOnlyList<string>> KeysAsync(string folder, Func<string, bool> wanted, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        if (objects is null)
            return keys;
        try
        {
            await foreach (var key in objects.ListKeysAsync(folder, cancellationToken).ConfigureAwait(false))
                if (wanted(key))
                    keys.Add(key);
        }
        catch (BackendException e)
        {
            log($"cannot list {folder}/ in BackupStorage {storage.Name}: {e.Message}");
        }
        return keys;
    }

    private async Task<JsonElement?> ReadYamlAsync(string key, CancellationToken cancellationToken)
    {
        if (objects is null)
            return null;
        byte[]? content;
        try
        {
            content = await objects.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException e)
        {
            log($"cannot read {key} in BackupStorage {storage.Name}: {e.Message}");
            return null;
        }
        if (content is null)
            return null;
        if (YamlObjects.Parse(content) is not [var document, ..])
        {
            log($"{key} in BackupStorage {storage.Name} is not YAML; ignored");
            return null;
        }
        return document;
    }
}
