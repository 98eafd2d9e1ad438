namespace StashMount.Backends.Kubernetes;

/// <summary>
/// A token kept in a file, such as the projected service-account token the kubelet rotates (about hourly):
/// re-read whenever the file's modification time or size changes, so a long-running mount never uses an expired token.
/// </summary>
public sealed class FileBearerToken(string path) : IBearerTokenSource
{
    private readonly Lock _gate = new();
    private (DateTime Modified, long Length) _stamp;
    private string? _token;

    public string Path => path;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new KubernetesApiException($"the Kubernetes token file {path} does not exist");
        var stamp = (info.LastWriteTimeUtc, info.Length);
        lock (_gate)
        {
            if (_token is not null && stamp == _stamp)
                return _token;
        }
        string token;
        try
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (IOException e)
        {
            throw new KubernetesApiException($"cannot read the Kubernetes token file {path}: {e.Message}", inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new KubernetesApiException($"cannot read the Kubernetes token file {path}: permission denied", inner: e);
        }
        lock (_gate)
        {
            _token = token;
            _stamp = stamp;
        }
        return token;
    }
}
