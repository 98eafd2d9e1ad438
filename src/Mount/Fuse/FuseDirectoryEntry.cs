namespace StashMount.Mount.Fuse;

/// <summary>One name in a directory listing with its full entry, so listings can be answered with readdirplus.</summary>
public readonly record struct FuseDirectoryEntry(string Name, FuseEntry Entry);
