namespace StashMount.Backends;

/// <summary>
/// Credentials from a folder with one file per name: a Stash or KubeStash Secret mounted as a volume
/// (`--secret-dir`). A trailing line break is dropped, since Secrets made with `--from-file` often carry one.
/// </summary>
public sealed class SecretDirectoryCredentialSource : ICredentialSource
{
    private readonly string _directory;

    public SecretDirectoryCredentialSource(string directory)
    {
        if (!Directory.Exists(directory))
            throw new BackendException($"secret directory {directory} does not exist");
        _directory = directory;
    }

    public string? Get(string name)
    {
        // Names are fixed constants, never user input, so they cannot escape the folder.
        var path = Path.Combine(_directory, name);
        if (!File.Exists(path))
            return null;
        string value;
        try
        {
            value = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackendException($"cannot read {name} from secret directory {_directory}: {e.GetType().Name}");
        }
        value = value.TrimEnd('\r', '\n');
        return value.Length == 0 ? null : value;
    }
}
