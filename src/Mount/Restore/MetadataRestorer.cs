using StashMount.Repository.Trees;

namespace StashMount.Mount.Restore;

/// <summary>
/// Sets a restored node's owner, xattrs, mode and times, in that order: chown clears setuid bits, so the mode
/// comes after it, and the times come last because every other change touches ctime or mtime. Like restic
/// (and cp -a), a failed chown is only an error when running as root.
/// </summary>
public sealed class MetadataRestorer(RestoreErrors errors)
{
    private readonly bool _isRoot = PosixCalls.IsRoot;

    public void Apply(RestoreItem item)
    {
        if (item.Failed)
            return;
        var node = item.Node;
        var path = item.TargetPath;
        var errno = PosixCalls.LChown(path, node.Uid, node.Gid);
        if (errno != 0 && (_isRoot || errno != PosixCalls.EPerm))
        {
            errors.ReportMetadata(item, "lchown", errno);
            return;
        }
        foreach (var xattr in node.ExtendedAttributes)
        {
            errno = PosixCalls.SetXattr(path, xattr.Name, xattr.Value);
            if (errno != 0)
            {
                errors.ReportMetadata(item, $"setxattr {xattr.Name}", errno);
                return;
            }
        }
        if (node.Type != NodeType.Symlink)
        {
            errno = PosixCalls.Chmod(path, GoFileMode.ToPosix(node.Mode) & ~GoFileMode.PosixTypeMask);
            if (errno != 0)
            {
                errors.ReportMetadata(item, "chmod", errno);
                return;
            }
        }
        errno = PosixCalls.SetTimes(path, node.AccessTime.UnixSeconds, node.AccessTime.Nanoseconds, node.ModTime.UnixSeconds, node.ModTime.Nanoseconds);
        if (errno != 0)
            errors.ReportMetadata(item, "utimensat", errno);
    }
}
