namespace StashMount.Mount.Fuse;

/// <summary>What statfs reports: sizes in <see cref="BlockSize"/> units and inode counts (free counts stay 0 for read-only content).</summary>
public readonly record struct FuseStatfs(ulong BlockSize, ulong Blocks, ulong Files, ulong NameMax = 255)
{
    /// <summary>Unit of the block counts (f_frsize); 0 means <see cref="BlockSize"/>.</summary>
    public ulong FragmentSize { get; init; }
    public ulong BlocksFree { get; init; }
    public ulong BlocksAvailable { get; init; }
    public ulong FilesFree { get; init; }
    public ulong FilesAvailable { get; init; }
}
