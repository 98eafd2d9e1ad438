using StashMount.Backends;

namespace StashMount.EndToEnd.Tests.Backends;

/// <summary>Copies a local restic repository's files into another backend, as a user would sync a folder to a bucket.</summary>
internal static class RepositoryUpload
{
    public static async Task CopyAsync(string localRepository, IBackend target)
    {
        await target.SaveAsync(FileHandle.Config, await File.ReadAllBytesAsync(Path.Combine(localRepository, "config")));
        foreach (var type in RepositoryLayout.AllTypes)
        {
            var folder = Path.Combine(localRepository, RepositoryLayout.Folder(type));
            if (!Directory.Exists(folder))
                continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                await target.SaveAsync(new FileHandle(type, Path.GetFileName(file)), await File.ReadAllBytesAsync(file));
        }
    }
}
