namespace StashMount.Backends;

/// <summary>The addressed file does not exist.</summary>
public sealed class BackendFileNotFoundException : BackendException
{
    public BackendFileNotFoundException(string location, FileHandle handle)
        : base($"{handle} does not exist in {location}")
    {
        Handle = handle;
    }

    public FileHandle Handle { get; }
}
