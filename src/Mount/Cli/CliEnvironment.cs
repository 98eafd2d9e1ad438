namespace StashMount.Mount.Cli;

/// <summary>
/// Environment variables as a command sees them: the files of <c>--secret-dir</c> (a mounted Stash or KubeStash
/// Secret, one file per variable such as RESTIC_PASSWORD or AWS_ACCESS_KEY_ID) take precedence over the process
/// environment, because the user named that folder explicitly.
/// </summary>
public sealed class CliEnvironment
{
    private readonly Func<string, string?> _process;
    private readonly IReadOnlyDictionary<string, string> _secrets;

    public CliEnvironment(Func<string, string?> process, IReadOnlyDictionary<string, string>? secrets = null)
    {
        _process = process;
        _secrets = secrets ?? new Dictionary<string, string>();
    }

    public string? Get(string name)
    {
        if (_secrets.TryGetValue(name, out var secret))
            return secret;
        var value = _process(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>
    /// Reads every regular file of a Secret folder. Kubernetes mounts a Secret as symlinks into a hidden
    /// "..data" folder, so dot-entries are skipped and symlinks are followed. One trailing newline is dropped
    /// (editors add one; the value itself never ends with it).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadSecretDirectoryAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
            throw new UsageException($"secret folder {folder} does not exist");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || Directory.Exists(path) || !File.Exists(path))
                continue;
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            if (text.EndsWith("\r\n", StringComparison.Ordinal)) text = text[..^2];
            else if (text.EndsWith('\n')) text = text[..^1];
            values[name] = text;
        }
        return values;
    }
}
