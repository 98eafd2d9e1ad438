namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Repository strings in restic's syntax, built as Stash and KubeStash build them (layout note §1.5, §2.4).
/// Prefixes are cleaned the way restic cleans them: no leading slash, no empty or "." segments.
/// </summary>
public static class ResticRepositoryStrings
{
    public static string S3(string endpoint, string bucket, string path) => $"s3:{endpoint.TrimEnd('/')}/{JoinPath(bucket, path)}";

    public static string Gcs(string bucket, string path) => $"gs:{bucket}:/{JoinPath(path)}";

    public static string Azure(string container, string path) => $"azure:{container}:/{JoinPath(path)}";

    public static string Swift(string container, string path) => $"swift:{container}:/{JoinPath(path)}";

    public static string B2(string bucket, string path) => $"b2:{bucket}:/{JoinPath(path)}";

    public static string Rest(string url) => $"rest:{url}";

    public static string Local(string root, string path) => "/" + JoinPath(root, path);

    /// <summary>Joins path pieces with '/', dropping empty and "." segments and any leading or doubled slashes.</summary>
    public static string JoinPath(params string?[] parts) =>
        string.Join('/', parts.Where(p => p is not null)
            .SelectMany(p => p!.Split('/', StringSplitOptions.RemoveEmptyEntries))
            .Where(segment => segment != "."));
}
