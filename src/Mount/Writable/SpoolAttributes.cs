using Mono.Unix.Native;
using StashMount.Repository.Archiver;
using StashMount.Mount.Fuse;

namespace StashMount.Mount.Writable;

/// <summary>struct stat of a spool object as the kernel sees it under <c>new/</c> (the FUSE inode replaces st_ino).</summary>
internal static class SpoolAttributes
{
    /// <summary>
    /// st_blksize shown for new/: cp and friends then write 1 MiB per write(2), so each FUSE write request carries
    /// 1 MiB (the kernel's ceiling) instead of 128 KiB, which is what limits copy speed through the mount.
    /// </summary>
    private const int PreferredIoSize = 1 << 20;

    public static FuseAttributes Of(ulong inode, in Stat s) => new()
    {
        Inode = inode,
        Mode = (uint)s.st_mode,
        Links = s.st_nlink,
        Uid = s.st_uid,
        Gid = s.st_gid,
        Rdev = s.st_rdev,
        Size = s.st_size,
        Blocks = s.st_blocks,
        BlockSize = PreferredIoSize,
        AccessTime = new FuseTimestamp(s.st_atime, s.st_atime_nsec),
        ModificationTime = new FuseTimestamp(s.st_mtime, s.st_mtime_nsec),
        ChangeTime = new FuseTimestamp(s.st_ctime, s.st_ctime_nsec),
    };

    /// <summary>
    /// How long the kernel keeps an object's attributes. Every change to <c>new/</c> goes through the kernel, which
    /// updates or drops what it cached; only a commit (emptying the tree) and setting a file aside change the tree
    /// behind it, so a stale value can only show briefly. Worth it: cp's fstat of each file it creates needs no request.
    /// </summary>
    public static readonly TimeSpan AttributeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the kernel keeps a name of <c>new/</c> when the spool can make it drop them all at once
    /// (<see cref="IKernelNameCache.ExpireAll"/>) after changing the tree behind it; otherwise names get a zero
    /// timeout and each path walk asks again. Every other change goes through the kernel, which updates its names.
    /// Worth it: cp -a walks the destination directory's name once per file it creates, one request per file.
    /// </summary>
    public static readonly TimeSpan NameTimeout = TimeSpan.FromMinutes(1);

    public static FuseEntry Entry(ulong inode, in Stat s, TimeSpan nameTimeout) => new(Of(inode, s), nameTimeout, AttributeTimeout);

    /// <summary>The same stat as the archiver's <see cref="FileStatus"/> (st_dev and st_rdev are glibc's encoding in both).</summary>
    public static FileStatus Status(in Stat s) => new((uint)s.st_mode, s.st_ino, s.st_dev, s.st_nlink, s.st_uid, s.st_gid, s.st_rdev, s.st_size,
        s.st_atime, s.st_atime_nsec, s.st_mtime, s.st_mtime_nsec, s.st_ctime, s.st_ctime_nsec);

    public static bool IsDirectory(in Stat s) => ((uint)s.st_mode & FuseAttributes.TypeMask) == FuseAttributes.Directory;
}
