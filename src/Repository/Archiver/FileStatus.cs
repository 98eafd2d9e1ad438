namespace StashMount.Repository.Archiver;

/// <summary>What lstat says about one file system entry, with nanosecond times and raw Linux device numbers.</summary>
public readonly record struct FileStatus(
    uint Mode, ulong Inode, ulong Device, ulong Links, uint Uid, uint Gid, ulong RawDevice, long Size,
    long AccessSeconds, long AccessNanoseconds, long ModifySeconds, long ModifyNanoseconds, long ChangeSeconds, long ChangeNanoseconds)
{
    private const uint TypeMask = 0xF000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;
    public bool IsRegular => (Mode & TypeMask) == 0x8000;
    public bool IsSymlink => (Mode & TypeMask) == 0xA000;
}
