using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// KubeStash: Repository → BackupStorage + storage Secret + encryption Secret; components from the Snapshot
/// objects' status.components and the Repository's status.componentPaths.
/// </summary>
public sealed class KubeStashResolver(KubernetesApiClient client)
{
    public async Task<KubeStashRepository> ResolveRepositoryAsync(KubernetesObjectName name, CancellationToken cancellationToken = default)
    {
        var repository = await client.GetAsync(KubernetesResource.KubeStashRepositories, name.Namespace, name.Name, cancellationToken).ConfigureAwait(false);
        return await ResolveAsync(name, repository, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One component's restic repository; <paramref name="sessionAndComponent"/> is SESSION/COMPONENT.</summary>
    public async Task<ResolvedRepository> ResolveComponentAsync(KubernetesObjectName name, string sessionAndComponent, CancellationToken cancellationToken = default)
    {
        var parts = sessionAndComponent.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
            throw new ArgumentException($"\"{sessionAndComponent}\" is not a KubeStash component: expected SESSION/COMPONENT");
        var repository = await ResolveRepositoryAsync(name, cancellationToken).ConfigureAwait(false);
        // The component was named explicitly, so KubeStash's path formula suffices when Snapshots cannot be read.
        var components = await ListComponentsOrNoneAsync(name, cancellationToken).ConfigureAwait(false);
        var known = components.FirstOrDefault(c => c.Key == sessionAndComponent);
        return known is not null ? repository.Component(known) : repository.Component(parts[0], parts[1]);
    }

    /// <summary>The single component of a Repository; an error listing them when there are several.</summary>
    public async Task<ResolvedRepository> ResolveOnlyComponentAsync(KubernetesObjectName name, CancellationToken cancellationToken = default)
    {
        var repository = await ResolveRepositoryAsync(name, cancellationToken).ConfigureAwait(false);
        var components = await ListComponentsOrNoneAsync(name, cancellationToken).ConfigureAwait(false);
        if (components.Count == 0 && repository.Storage.Provider == "local")
            components = LocalComponentScanner.Scan(repository);
        return components.Count switch
        {
            1 => repository.Component(components[0]),
            0 => throw new KubernetesApiException($"KubeStash Repository {name} has no components yet (no Snapshot lists any)"),
            _ => throw new KubernetesApiException($"KubeStash Repository {name} has {components.Count} components; choose one with --kubestash-component: {string.Join(", ", components.Select(c => c.Key))}"),
        };
    }

    /// <summary>Every component of the Repository, with the restic snapshot IDs each KubeStash Snapshot recorded.</summary>
    public async Task<IReadOnlyList<KubeStashComponent>> ListComponentsAsync(KubernetesObjectName name, CancellationToken cancellationToken = default)
    {
        var repository = await client.GetAsync(KubernetesResource.KubeStashRepositories, name.Namespace, name.Name, cancellationToken).ConfigureAwait(false);
        var snapshots = await client.ListAsync(KubernetesResource.KubeStashSnapshots, name.Namespace, cancellationToken).ConfigureAwait(false);
        return KubeStashComponents.Collect(name.Name, repository, snapshots);
    }

    private async Task<IReadOnlyList<KubeStashComponent>> ListComponentsOrNoneAsync(KubernetesObjectName name, CancellationToken cancellationToken)
    {
        try
        {
            return await ListComponentsAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode is 403 or 404)
        {
            return [];
        }
    }

    /// <summary>
    /// Every Repository stored in a BackupStorage (for a whole-storage view). Lists Repositories in all namespaces
    /// when RBAC allows it, else in the storage's namespace, and adds those the BackupStorage status names.
    /// </summary>
    public async Task<IReadOnlyList<KubeStashRepository>> ResolveStorageAsync(KubernetesObjectName storageName, CancellationToken cancellationToken = default)
    {
        var storageObject = await client.GetAsync(KubernetesResource.KubeStashBackupStorages, storageName.Namespace, storageName.Name, cancellationToken).ConfigureAwait(false);
        var storage = await KubeStashStorage.GetAsync(client, storageName, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<JsonElement> candidates;
        try
        {
            candidates = await client.ListAsync(KubernetesResource.KubeStashRepositories, null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 403)
        {
            candidates = await client.ListAsync(KubernetesResource.KubeStashRepositories, storageName.Namespace, cancellationToken).ConfigureAwait(false);
        }

        var found = new Dictionary<KubernetesObjectName, JsonElement>();
        foreach (var candidate in candidates)
            if (ObjectName(candidate) is { } candidateName && StorageOf(candidate, candidateName.Namespace) == storageName)
                found[candidateName] = candidate;
        if (storageObject.Child("status", "repositories") is { ValueKind: JsonValueKind.Array } listed)
            foreach (var entry in listed.EnumerateArray())
                if (entry.String("name") is { } repoName && !found.Keys.Any(k => k.Name == repoName && k.Namespace == (entry.String("namespace") ?? storageName.Namespace)))
                {
                    var key = new KubernetesObjectName(entry.String("namespace") ?? storageName.Namespace, repoName);
                    found[key] = await client.GetAsync(KubernetesResource.KubeStashRepositories, key.Namespace, key.Name, cancellationToken).ConfigureAwait(false);
                }

        var result = new List<KubeStashRepository>();
        foreach (var (key, repository) in found.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal))
            result.Add(await ResolveAsync(key, repository, storage, cancellationToken).ConfigureAwait(false));
        return result;
    }

    private async Task<KubeStashRepository> ResolveAsync(KubernetesObjectName name, JsonElement repository, KubeStashStorage? storage, CancellationToken cancellationToken)
    {
        var what = $"KubeStash Repository {name}";
        var storageName = StorageOf(repository, name.Namespace) ?? throw new KubernetesApiException($"{what} has no spec.storageRef");
        var path = repository.String("spec", "path") ?? throw new KubernetesApiException($"{what} has no spec.path");
        var secretName = repository.String("spec", "encryptionSecret", "name") ?? throw new KubernetesApiException($"{what} has no spec.encryptionSecret");
        var secretNamespace = repository.String("spec", "encryptionSecret", "namespace") ?? name.Namespace;

        storage ??= await KubeStashStorage.GetAsync(client, storageName, cancellationToken).ConfigureAwait(false);
        var encryption = await KubernetesSecret.GetAsync(client, new KubernetesObjectName(secretNamespace, secretName), cancellationToken).ConfigureAwait(false);
        var credentials = storage.Credentials();
        credentials["RESTIC_PASSWORD"] = encryption.Require("RESTIC_PASSWORD");
        return new KubeStashRepository(name, ResticRepositoryStrings.JoinPath(path), storage, credentials);
    }

    private static KubernetesObjectName? StorageOf(JsonElement repository, string defaultNamespace) =>
        repository.String("spec", "storageRef", "name") is { } storage
            ? new KubernetesObjectName(repository.String("spec", "storageRef", "namespace") ?? defaultNamespace, storage)
            : null;

    private static KubernetesObjectName? ObjectName(JsonElement item) =>
        item.String("metadata", "name") is { } name && item.String("metadata", "namespace") is { } ns ? new KubernetesObjectName(ns, name) : null;
}
