namespace StashMount.Mount.Restore;

/// <summary>Where one blob's plaintext goes: a file and the offset inside it.</summary>
public readonly record struct BlobTarget(RestoreItem File, long Offset);
