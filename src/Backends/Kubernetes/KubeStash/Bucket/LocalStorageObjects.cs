using System.Runtime.CompilerServices;

namespace StashMount.Backends.Kubernetes;

/// <summary>The files of a local (volume) BackupStorage.</summary>
public sealed class LocalStorageObjects(string root) : IStorageObjects
{
    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var folder = Path.Combine(root, ResticRepositoryStrings.JoinPath(prefix));
        if (!Directory.Exists(folder))
            yield break;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
        }
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = Path.Combine(root, ResticRepositoryStrings.JoinPath(key));
        try
        {
            return await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
