using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// A KubeStash BackupStorage (storage.kubestash.com/v1alpha1): one bucket plus prefix (or a local volume) and the
/// storage Secret named inside the provider block. Repositories are directories below its root.
/// </summary>
public sealed class KubeStashStorage
{
    public static readonly string[] SupportedProviders = ["s3", "gcs", "azure", "local"];

    private KubeStashStorage(KubernetesObjectName name, string provider, JsonElement block, IReadOnlyDictionary<string, string> secret)
    {
        Name = name;
        Provider = provider;
        Block = block;
        SecretData = secret;
    }

    public KubernetesObjectName Name { get; }

    public string Provider { get; }

    public JsonElement Block { get; }

    /// <summary>The storage Secret's env-style keys; empty for local storage and credential-less S3/Azure.</summary>
    public IReadOnlyDictionary<string, string> SecretData { get; }

    public static async Task<KubeStashStorage> GetAsync(KubernetesApiClient client, KubernetesObjectName name, CancellationToken cancellationToken)
    {
        var what = $"KubeStash BackupStorage {name}";
        var storage = await client.GetAsync(KubernetesResource.KubeStashBackupStorages, name.Namespace, name.Name, cancellationToken).ConfigureAwait(false);
        var provider = storage.String("spec", "storage", "provider")
            ?? throw new KubernetesApiException($"{what} has no spec.storage.provider");
        if (!SupportedProviders.Contains(provider))
            throw new KubernetesApiException($"{what} uses provider \"{provider}\", which is not supported; supported providers: {string.Join(", ", SupportedProviders)}");
        if (storage.Child("spec", "storage", provider) is not { ValueKind: JsonValueKind.Object } block)
            throw new KubernetesApiException($"{what} has no spec.storage.{provider}");

        IReadOnlyDictionary<string, string> secretData = new Dictionary<string, string>();
        if (block.String("secretName") is { } secretName)
        {
            var secret = await KubernetesSecret.GetAsync(client, new KubernetesObjectName(name.Namespace, secretName), cancellationToken).ConfigureAwait(false);
            if (provider == "azure")
                secret.Require("AZURE_ACCOUNT_KEY");
            secretData = secret.EnvironmentStyleEntries();
        }
        return new KubeStashStorage(name, provider, block, secretData);
    }

    /// <summary>The restic repository string of <paramref name="directory"/>, relative to the storage root.</summary>
    public string RepositoryString(string directory)
    {
        var what = $"KubeStash BackupStorage {Name}";
        string Required(string field) => Block.String(field) ?? throw new KubernetesApiException($"{what} has no spec.storage.{Provider}.{field}");
        var prefix = Block.String("prefix") ?? "";
        return Provider switch
        {
            "s3" => ResticRepositoryStrings.S3(Required("endpoint"), Required("bucket"), ResticRepositoryStrings.JoinPath(prefix, directory)),
            "gcs" => ResticRepositoryStrings.Gcs(Required("bucket"), ResticRepositoryStrings.JoinPath(prefix, directory)),
            "azure" => ResticRepositoryStrings.Azure(Required("container"), ResticRepositoryStrings.JoinPath(prefix, directory)),
            "local" => LocalVolumePath.Choose(Block, Required("mountPath"), directory),
            _ => throw new InvalidOperationException(Provider),
        };
    }

    /// <summary>The storage credentials as KubeStash's restic wrapper exports them.</summary>
    public Dictionary<string, string> Credentials()
    {
        var credentials = new Dictionary<string, string>(SecretData, StringComparer.Ordinal);
        if (Provider == "s3" && Block.String("region") is { } region)
            credentials["AWS_DEFAULT_REGION"] = region;
        // KubeStash takes the Azure account name from the BackupStorage, not from the Secret.
        if (Provider == "azure" && Block.String("storageAccount") is { } account)
            credentials["AZURE_ACCOUNT_NAME"] = account;
        return credentials;
    }

    public bool InsecureTls => Provider == "s3" && Block.Bool("insecureTLS");

    public int? Connections => Provider is "gcs" or "azure" ? Block.PositiveInt("maxConnections") : null;
}
