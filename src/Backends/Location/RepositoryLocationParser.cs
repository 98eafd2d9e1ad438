namespace StashMount.Backends;

/// <summary>
/// Splits a repository string into a <see cref="RepositoryLocation"/> by restic's rules: the text before the first
/// ':' picks the backend; anything else that looks like a path is a local folder. Errors are one line that names
/// the expected form and never echo the string (it may carry a REST password).
/// </summary>
internal static class RepositoryLocationParser
{
    public const string Forms =
        "/path, local:/path, rest:http(s)://[user:pass@]host:port/path, s3:https://host[:port]/bucket/prefix, " +
        "s3:s3.amazonaws.com/bucket/prefix, gs:bucket:/prefix, azure:container:/prefix, b2:bucket:/prefix or swift:container:/prefix";

    public static RepositoryLocation Parse(string repository)
    {
        if (string.IsNullOrWhiteSpace(repository))
            throw new BackendException($"no repository given; expected one of {Forms}");
        var colon = repository.IndexOf(':');
        var scheme = colon < 0 ? "" : repository[..colon];
        return scheme switch
        {
            "local" => Local(repository["local:".Length..]),
            "rest" => Rest(repository["rest:".Length..]),
            "s3" => S3(repository),
            "gs" => BucketAndPrefix(BackendKind.Gcs, repository["gs:".Length..], "gs:bucket:/prefix"),
            "azure" => BucketAndPrefix(BackendKind.Azure, repository["azure:".Length..], "azure:container:/prefix"),
            "b2" => B2(repository["b2:".Length..]),
            "swift" => Swift(repository["swift:".Length..]),
            "sftp" or "rclone" => throw new BackendException($"the {scheme} backend is not supported; expected one of {Forms}"),
            _ when IsPath(repository) || colon < 0 => Local(repository),
            _ => throw new BackendException(
                $"invalid repository: unknown backend \"{scheme}\" (a local folder needs the local: prefix); expected one of {Forms}"),
        };
    }

    private static bool IsPath(string s) => s.StartsWith('/') || s.StartsWith("../", StringComparison.Ordinal);

    private static RepositoryLocation Local(string path)
    {
        if (path.Length == 0)
            throw new BackendException("invalid local repository: empty path; expected /path or local:/path");
        return new RepositoryLocation { Kind = BackendKind.Local, Path = path };
    }

    private static RepositoryLocation Rest(string url)
    {
        if (!url.EndsWith('/'))
            url += "/";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.Host.Length == 0)
            throw new BackendException("invalid REST repository; expected rest:http(s)://[user:pass@]host:port/path");
        return new RepositoryLocation { Kind = BackendKind.Rest, Endpoint = url };
    }

    private static RepositoryLocation S3(string s)
    {
        const string expected = "expected s3:https://host[:port]/bucket/prefix or s3:s3.amazonaws.com/bucket/prefix";
        string endpoint, bucket, prefix;
        var useHttp = false;
        if (s.StartsWith("s3:http", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(s[3..], UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                throw new BackendException($"invalid S3 repository: bad endpoint URL; {expected}");
            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            if (path.Length <= 1)
                throw new BackendException($"invalid S3 repository: bucket name not found; {expected}");
            endpoint = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
            (bucket, prefix) = Cut(path[1..], '/');
            useHttp = uri.Scheme == "http";
        }
        else
        {
            var rest = s.StartsWith("s3://", StringComparison.Ordinal) ? s[5..] : s[3..];
            (endpoint, rest) = Cut(rest, '/');
            (bucket, prefix) = Cut(rest, '/');
        }
        if (endpoint.Length == 0)
            throw new BackendException($"invalid S3 repository: host or bucket name not found; {expected}");
        if (bucket.Length == 0)
            throw new BackendException($"invalid S3 repository: bucket name not found; {expected}");
        return new RepositoryLocation
        {
            Kind = BackendKind.S3, Endpoint = endpoint, UseHttp = useHttp, Bucket = bucket, Prefix = SlashPath.Prefix(prefix),
        };
    }

    private static RepositoryLocation BucketAndPrefix(BackendKind kind, string s, string expected)
    {
        var colon = s.IndexOf(':');
        if (colon <= 0)
            throw new BackendException($"invalid {kind} repository: bucket name or path not found; expected {expected}");
        return new RepositoryLocation { Kind = kind, Bucket = s[..colon], Prefix = SlashPath.Prefix(s[(colon + 1)..]) };
    }

    private static RepositoryLocation B2(string s)
    {
        var (bucket, prefix) = Cut(s, ':');
        if (bucket.Length == 0)
            throw new BackendException("invalid B2 repository: bucket name not found; expected b2:bucket:/prefix");
        return new RepositoryLocation { Kind = BackendKind.B2, Bucket = bucket, Prefix = SlashPath.Prefix(prefix) };
    }

    private static RepositoryLocation Swift(string s)
    {
        const string expected = "expected swift:container:/prefix";
        var (container, prefix) = Cut(s, ':');
        if (container.Length == 0)
            throw new BackendException($"invalid Swift repository: container name not found; {expected}");
        if (!prefix.StartsWith('/'))
            throw new BackendException($"invalid Swift repository: the prefix must start with '/'; {expected}");
        return new RepositoryLocation { Kind = BackendKind.Swift, Bucket = container, Prefix = SlashPath.Prefix(prefix) };
    }

    private static (string Before, string After) Cut(string s, char separator)
    {
        var i = s.IndexOf(separator);
        return i < 0 ? (s, "") : (s[..i], s[(i + 1)..]);
    }
}
