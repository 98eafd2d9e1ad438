namespace StashMount.Repository.Trees;

/// <summary>
/// Go's os.FileMode bits, which restic stores in a node's "mode", and their conversion to and from POSIX
/// st_mode. Go keeps the file type in the high bits and only the permission bits in POSIX positions.
/// </summary>
public static class GoFileMode
{
    public const uint Dir = 1u << 31;
    public const uint Append = 1u << 30;
    public const uint Exclusive = 1u << 29;
    public const uint Temporary = 1u << 28;
    public const uint Symlink = 1u << 27;
    public const uint Device = 1u << 26;
    public const uint NamedPipe = 1u << 25;
    public const uint Socket = 1u << 24;
    public const uint Setuid = 1u << 23;
    public const uint Setgid = 1u << 22;
    public const uint CharDevice = 1u << 21;
    public const uint Sticky = 1u << 20;
    public const uint Irregular = 1u << 19;

    public const uint TypeMask = Dir | Symlink | NamedPipe | Socket | Device | CharDevice | Irregular;
    public const uint Permissions = 0x1FF; // 0777

    // POSIX st_mode constants (octal in <sys/stat.h>).
    public const uint PosixTypeMask = 0xF000; // S_IFMT 0170000
    public const uint PosixSocket = 0xC000; // S_IFSOCK 0140000
    public const uint PosixSymlink = 0xA000; // S_IFLNK 0120000
    public const uint PosixRegular = 0x8000; // S_IFREG 0100000
    public const uint PosixBlockDevice = 0x6000; // S_IFBLK 0060000
    public const uint PosixDirectory = 0x4000; // S_IFDIR 0040000
    public const uint PosixCharDevice = 0x2000; // S_IFCHR 0020000
    public const uint PosixFifo = 0x1000; // S_IFIFO 0010000
    public const uint PosixSetuid = 0x800; // S_ISUID 04000
    public const uint PosixSetgid = 0x400; // S_ISGID 02000
    public const uint PosixSticky = 0x200; // S_ISVTX 01000

    /// <summary>st_mode from Go mode bits; a mode without type bits is a regular file.</summary>
    public static uint ToPosix(uint goMode)
    {
        uint type;
        if ((goMode & Dir) != 0) type = PosixDirectory;
        else if ((goMode & Symlink) != 0) type = PosixSymlink;
        else if ((goMode & NamedPipe) != 0) type = PosixFifo;
        else if ((goMode & Socket) != 0) type = PosixSocket;
        else if ((goMode & Device) != 0) type = (goMode & CharDevice) != 0 ? PosixCharDevice : PosixBlockDevice;
        else if ((goMode & CharDevice) != 0) type = PosixCharDevice;
        else type = PosixRegular;
        return type | (goMode & Permissions) | SpecialBitsToPosix(goMode);
    }

    /// <summary>st_mode for a node: the file type follows the node's type (authoritative), the rest its mode.</summary>
    public static uint ToPosix(uint goMode, NodeType type) =>
        PosixType(type) | (goMode & Permissions) | SpecialBitsToPosix(goMode);

    /// <summary>Go mode bits from st_mode, as Go's os.Lstat fills them on Linux.</summary>
    public static uint FromPosix(uint stMode)
    {
        var mode = stMode & Permissions;
        mode |= (stMode & PosixTypeMask) switch
        {
            PosixBlockDevice => Device,
            PosixCharDevice => Device | CharDevice,
            PosixDirectory => Dir,
            PosixFifo => NamedPipe,
            PosixSymlink => Symlink,
            PosixSocket => Socket,
            _ => 0u,
        };
        if ((stMode & PosixSetuid) != 0) mode |= Setuid;
        if ((stMode & PosixSetgid) != 0) mode |= Setgid;
        if ((stMode & PosixSticky) != 0) mode |= Sticky;
        return mode;
    }

    /// <summary>The POSIX file-type bits for a node type (irregular nodes show as regular files).</summary>
    public static uint PosixType(NodeType type) => type switch
    {
        NodeType.Dir => PosixDirectory,
        NodeType.Symlink => PosixSymlink,
        NodeType.Dev => PosixBlockDevice,
        NodeType.CharDev => PosixCharDevice,
        NodeType.Fifo => PosixFifo,
        NodeType.Socket => PosixSocket,
        _ => PosixRegular,
    };

    private static uint SpecialBitsToPosix(uint goMode) =>
        ((goMode & Setuid) != 0 ? PosixSetuid : 0) | ((goMode & Setgid) != 0 ? PosixSetgid : 0) | ((goMode & Sticky) != 0 ? PosixSticky : 0);
}
