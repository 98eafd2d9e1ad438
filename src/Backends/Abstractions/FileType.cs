namespace StashMount.Backends;

/// <summary>The kinds of file a restic repository stores; each lives in its own folder of the layout.</summary>
public enum FileType
{
    Config,
    Key,
    Snapshot,
    Index,
    Pack,
    Lock,
}
