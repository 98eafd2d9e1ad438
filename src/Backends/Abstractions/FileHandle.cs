namespace StashMount.Backends;

/// <summary>Addresses one file of a repository: its type and its name (the hex ID; empty for the config).</summary>
public readonly record struct FileHandle(FileType Type, string Name)
{
    public static readonly FileHandle Config = new(FileType.Config, "");

    public override string ToString() => Type == FileType.Config ? "config" : $"{Type.ToString().ToLowerInvariant()}/{Name}";
}
