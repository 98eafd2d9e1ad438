namespace StashMount.Backends;

/// <summary>
/// A parsed repository string (RESTIC_REPOSITORY, Stash's and KubeStash's generated strings). Parsing follows
/// restic's rules so the same string opens the same objects. <see cref="ToString"/> never shows a password.
/// </summary>
public sealed record RepositoryLocation
{
    public required BackendKind Kind { get; init; }

    /// <summary>Local: the folder. Unused otherwise.</summary>
    public string Path { get; init; } = "";

    /// <summary>REST: the server URL ending in '/', possibly with user:password. S3: the endpoint host[:port].</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>S3 with an explicit http:// endpoint.</summary>
    public bool UseHttp { get; init; }

    /// <summary>Bucket (S3, GCS, B2) or container (Azure, Swift).</summary>
    public string Bucket { get; init; } = "";

    /// <summary>Object key prefix without leading or trailing '/'; empty for the bucket root.</summary>
    public string Prefix { get; init; } = "";

    public static RepositoryLocation Parse(string repository) => RepositoryLocationParser.Parse(repository);

    public override string ToString() => Kind switch
    {
        BackendKind.Local => Path,
        BackendKind.Rest => "rest:" + RedactedUrl(Endpoint),
        BackendKind.S3 => $"s3:{(UseHttp ? "http://" : "")}{Endpoint}/{SlashPath.Join(Bucket, Prefix)}",
        BackendKind.Gcs => $"gs:{Bucket}:/{Prefix}",
        BackendKind.Azure => $"azure:{Bucket}:/{Prefix}",
        BackendKind.B2 => $"b2:{Bucket}:/{Prefix}",
        BackendKind.Swift => $"swift:{Bucket}:/{Prefix}",
        _ => Kind.ToString(),
    };

    /// <summary>The URL with any password replaced, for messages.</summary>
    internal static string RedactedUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0)
            return url;
        var user = uri.UserInfo.Split(':', 2)[0];
        return new UriBuilder(uri) { UserName = user, Password = "" }.Uri.ToString().Replace($"{user}@", $"{user}:***@", StringComparison.Ordinal);
    }
}
