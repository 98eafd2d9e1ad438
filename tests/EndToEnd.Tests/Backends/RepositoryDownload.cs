using StashMount.Backends;
using StashMount.Backends.Local;

namespace StashMount.EndToEnd.Tests.Backends;

/// <summary>
/// Copies every file of a repository on a remote backend into a local folder, so restic can check it there.
/// Locks stay behind: they are not repository content.
/// </summary>
internal static class RepositoryDownload
{
    public static async Task<int> CopyAsync(IBackend source, string localRepository)
    {
        await using var target = new LocalBackend(localRepository);
        target.CreateLayout();
        var count = 0;
        foreach (var type in new[] { FileType.Config }.Concat(RepositoryLayout.AllTypes).Where(t => t != FileType.Lock))
        {
            foreach (var file in await source.ListAllAsync(type))
            {
                var handle = type == FileType.Config ? FileHandle.Config : new FileHandle(type, file.Name);
                var bytes = new byte[file.Size];
                await source.ReadAsync(handle, 0, bytes);
                await target.SaveAsync(handle, bytes);
                count++;
            }
        }
        return count;
    }
}
