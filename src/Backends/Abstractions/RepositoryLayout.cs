namespace StashMount.Backends;

/// <summary>restic's default layout: where each file type lives relative to the repository root.</summary>
public static class RepositoryLayout
{
    public static string Folder(FileType type) => type switch
    {
        FileType.Config => "",
        FileType.Key => "keys",
        FileType.Snapshot => "snapshots",
        FileType.Index => "index",
        FileType.Pack => "data",
        FileType.Lock => "locks",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The path of a file relative to the root, with '/' separators: packs sit under data/&lt;first two hex digits&gt;/.</summary>
    public static string RelativePath(FileHandle handle) => handle.Type switch
    {
        FileType.Config => "config",
        FileType.Pack => $"data/{handle.Name[..2]}/{handle.Name}",
        _ => $"{Folder(handle.Type)}/{handle.Name}",
    };

    public static readonly FileType[] AllTypes = [FileType.Key, FileType.Snapshot, FileType.Index, FileType.Pack, FileType.Lock];
}
