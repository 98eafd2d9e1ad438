namespace StashMount.Mount.Fuse;

/// <summary>The answer to a lookup: the inode's attributes and how long the kernel may cache the name and the attributes.</summary>
public readonly record struct FuseEntry(FuseAttributes Attributes, TimeSpan EntryTimeout, TimeSpan AttributeTimeout);
