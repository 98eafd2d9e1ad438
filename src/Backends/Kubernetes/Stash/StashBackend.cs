using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// A Stash v1 Repository's spec.backend (kmodules objectstore-api Backend): exactly one provider block
/// plus storageSecretName. Turns it into restic's repository string as Stash's own restic wrapper does.
/// </summary>
public sealed class StashBackend
{
    public static readonly string[] SupportedProviders = ["local", "s3", "gcs", "azure", "swift", "b2", "rest"];

    private StashBackend(string provider, JsonElement block, string? secretName)
    {
        Provider = provider;
        Block = block;
        SecretName = secretName;
    }

    public string Provider { get; }

    public JsonElement Block { get; }

    public string? SecretName { get; }

    public static StashBackend From(JsonElement repository, string what)
    {
        if (repository.Child("spec", "backend") is not { ValueKind: JsonValueKind.Object } backend)
            throw new KubernetesApiException($"{what} has no spec.backend");
        var providers = backend.EnumerateObject().Where(p => p.Name != "storageSecretName" && p.Value.ValueKind == JsonValueKind.Object).ToList();
        var supported = providers.Where(p => SupportedProviders.Contains(p.Name)).ToList();
        if (supported.Count == 0)
        {
            var found = providers.Count == 0 ? "no provider" : $"provider \"{providers[0].Name}\"";
            throw new KubernetesApiException($"{what} uses {found}, which is not supported; supported providers: {string.Join(", ", SupportedProviders)}");
        }
        if (supported.Count > 1)
            throw new KubernetesApiException($"{what} sets more than one provider in spec.backend ({string.Join(", ", supported.Select(p => p.Name))})");
        return new StashBackend(supported[0].Name, supported[0].Value, backend.String("storageSecretName"));
    }

    /// <summary>The repository string; <paramref name="what"/> names the object in messages about missing fields.</summary>
    public string RepositoryString(string what)
    {
        string Required(string field) => Block.String(field) ?? throw new KubernetesApiException($"{what} has no spec.backend.{Provider}.{field}");
        var prefix = Block.String("prefix") ?? "";
        return Provider switch
        {
            "s3" => ResticRepositoryStrings.S3(Required("endpoint"), Required("bucket"), prefix),
            "gcs" => ResticRepositoryStrings.Gcs(Required("bucket"), prefix),
            "azure" => ResticRepositoryStrings.Azure(Required("container"), prefix),
            "swift" => ResticRepositoryStrings.Swift(Required("container"), prefix),
            "b2" => ResticRepositoryStrings.B2(Required("bucket"), prefix),
            "rest" => ResticRepositoryStrings.Rest(Required("url")),
            "local" => LocalVolumePath.Choose(Block, Required("mountPath"), ""),
            _ => throw new InvalidOperationException(Provider),
        };
    }

    /// <summary>Keys Stash's wrapper cannot work without, beyond RESTIC_PASSWORD.</summary>
    public string[] RequiredSecretKeys => Provider switch
    {
        "b2" => ["B2_ACCOUNT_ID", "B2_ACCOUNT_KEY"],
        "azure" => ["AZURE_ACCOUNT_NAME", "AZURE_ACCOUNT_KEY"],
        _ => [],
    };
}
