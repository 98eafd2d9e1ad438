namespace StashMount.Backends;

/// <summary>A file found by listing or stat: its name within its type and its size in bytes.</summary>
public readonly record struct BackendFileInfo(string Name, long Size);
