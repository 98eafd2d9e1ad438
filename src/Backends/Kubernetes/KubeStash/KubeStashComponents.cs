using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>Gathers a Repository's components from its Snapshot objects (status.components) and status.componentPaths.</summary>
internal static class KubeStashComponents
{
    public static IReadOnlyList<KubeStashComponent> Collect(string repositoryName, JsonElement repository, IReadOnlyList<JsonElement> snapshots)
    {
        var byPath = new SortedDictionary<string, (string Session, string Component, SortedDictionary<string, IReadOnlyList<string>> Ids)>(StringComparer.Ordinal);

        void Add(string path, string? snapshotName, IReadOnlyList<string> ids)
        {
            var clean = ResticRepositoryStrings.JoinPath(path);
            var segments = clean.Split('/');
            // repository/<version>/<session>/<component>
            if (segments.Length < 4)
                return;
            if (!byPath.TryGetValue(clean, out var entry))
                byPath[clean] = entry = (segments[^2], segments[^1], new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal));
            if (snapshotName is not null)
                entry.Ids[snapshotName] = ids;
        }

        foreach (var snapshot in snapshots)
        {
            if (snapshot.String("spec", "repository") != repositoryName || snapshot.String("metadata", "name") is not { } snapshotName)
                continue;
            if (snapshot.Child("status", "components") is not { ValueKind: JsonValueKind.Object } components)
                continue;
            foreach (var component in components.EnumerateObject())
            {
                var path = component.Value.String("path")
                    ?? (snapshot.String("spec", "session") is { } session
                        ? ResticRepositoryStrings.JoinPath("repository", snapshot.String("spec", "version") ?? "v1", session, component.Name)
                        : null);
                if (path is null)
                    continue;
                var ids = component.Value.Child("resticStats") is { ValueKind: JsonValueKind.Array } stats
                    ? stats.EnumerateArray().Select(s => s.String("id") ?? s.String("summary", "id")).OfType<string>().ToList()
                    : [];
                Add(path, snapshotName, ids);
            }
        }

        if (repository.Child("status", "componentPaths") is { ValueKind: JsonValueKind.Array } paths)
            foreach (var path in paths.EnumerateArray())
                if (path.ValueKind == JsonValueKind.String && path.GetString() is { Length: > 0 } text)
                    Add(text, null, []);

        return [.. byPath.Select(e => new KubeStashComponent(e.Value.Session, e.Value.Component, e.Key, e.Value.Ids))];
    }
}
