namespace StashMount.Mount.Fuse;

/// <summary>What the kernel gets as struct stat for one inode. <see cref="Mode"/> holds the S_IF* type and permission bits.</summary>
public readonly record struct FuseAttributes
{
    public const uint TypeMask = 0xF000;
    public const uint RegularFile = 0x8000;
    public const uint Directory = 0x4000;
    public const uint SymbolicLink = 0xA000;
    public const uint Fifo = 0x1000;
    public const uint CharacterDevice = 0x2000;
    public const uint BlockDevice = 0x6000;
    public const uint Socket = 0xC000;

    public required ulong Inode { get; init; }
    public required uint Mode { get; init; }
    public ulong Links { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public ulong Rdev { get; init; }
    public long Size { get; init; }
    /// <summary>512-byte blocks allocated (st_blocks).</summary>
    public long Blocks { get; init; }
    /// <summary>Preferred I/O size (st_blksize); 0 reports 4096. Tools such as cp size their buffers by it.</summary>
    public int BlockSize { get; init; }
    public FuseTimestamp AccessTime { get; init; }
    public FuseTimestamp ModificationTime { get; init; }
    public FuseTimestamp ChangeTime { get; init; }

    public bool IsDirectory => (Mode & TypeMask) == Directory;
}
