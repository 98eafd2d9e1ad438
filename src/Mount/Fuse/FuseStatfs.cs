namespace StashMount.Mount.Fuse;

/// <summary>What statfs reports: sizes in <see cref="BlockSize"/> units and inode counts.</summary>
public readonly record struct FuseStatfs(ulong BlockSize, ulong Blocks, ulong Files, ulong NameMax = 255);
