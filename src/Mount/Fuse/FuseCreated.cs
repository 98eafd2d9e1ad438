namespace StashMount.Mount.Fuse;

/// <summary>The answer to create: the new file's entry (counts as a lookup) and its open handle.</summary>
public readonly record struct FuseCreated(FuseEntry Entry, FuseOpenResult Open);
