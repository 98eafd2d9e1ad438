using StashMount.Repository.Trees;

namespace StashMount.Repository.Archiver;

/// <summary>
/// Builds a tree node from lstat as restic 0.14 does: Go mode bits, mtime also as atime (restic does not keep
/// the access time), ctime, ids and names, inode and device, links for files, symlinks and devices only,
/// xattrs, symlink targets and device numbers. Content and subtree are filled in by the archiver.
/// </summary>
internal static class NodeFactory
{
    /// <param name="extendedAttributes">False when the caller knows the entry has none: no listxattr.</param>
    public static Node Create(string path, string name, in FileStatus status, IReadOnlyList<ObjectId>? content = null, ObjectId? subtree = null, ulong? size = null,
        bool extendedAttributes = true)
    {
        var type = TypeOf(status.Mode);
        var mtime = GoTime.FromUnix(status.ModifySeconds, status.ModifyNanoseconds);
        var hasLinks = type is NodeType.File or NodeType.Symlink or NodeType.Dev or NodeType.CharDev;
        var target = type == NodeType.Symlink ? ReadLinkTarget(path) : null;
        return new Node
        {
            Name = name,
            Type = type,
            Mode = GoFileMode.FromPosix(status.Mode),
            ModTime = mtime,
            AccessTime = mtime,
            ChangeTime = GoTime.FromUnix(status.ChangeSeconds, status.ChangeNanoseconds),
            Uid = status.Uid,
            Gid = status.Gid,
            User = AccountNames.Shared.UserName(status.Uid),
            Group = AccountNames.Shared.GroupName(status.Gid),
            Inode = status.Inode,
            DeviceId = status.Device,
            Size = type == NodeType.File ? size ?? (ulong)status.Size : 0,
            Links = hasLinks ? status.Links : 0,
            LinkTarget = target,
            Device = type is NodeType.Dev or NodeType.CharDev ? status.RawDevice : 0,
            Content = content ?? [],
            Subtree = subtree,
            ExtendedAttributes = extendedAttributes && type is NodeType.File or NodeType.Dir or NodeType.Symlink ? ReadXattrs(path) : [],
        };
    }

    public static NodeType TypeOf(uint posixMode) => (posixMode & 0xF000) switch
    {
        0x4000 => NodeType.Dir,
        0x8000 => NodeType.File,
        0xA000 => NodeType.Symlink,
        0x6000 => NodeType.Dev,
        0x2000 => NodeType.CharDev,
        0x1000 => NodeType.Fifo,
        0xC000 => NodeType.Socket,
        _ => NodeType.Irregular,
    };

    private static string? ReadLinkTarget(string path) => new FileInfo(path).LinkTarget;

    private static IReadOnlyList<ExtendedAttribute> ReadXattrs(string path)
    {
        var xattrs = PosixFileSystem.ListExtendedAttributes(path);
        return xattrs.Count == 0 ? [] : xattrs.Select(x => new ExtendedAttribute(x.Name, x.Value)).ToList();
    }
}
