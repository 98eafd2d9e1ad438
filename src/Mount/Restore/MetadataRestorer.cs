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

    /// <summary>Sets the metadata by path (symlinks are not followed).</summary>
    public void Apply(RestoreItem item)
    {
        if (item.Failed || item.MetadataApplied)
            return;
        var node = item.Node;
        var path = item.TargetPath;
        if (!ChownSucceeded(item, "lchown", PosixCalls.LChown(path, node.Uid, node.Gid)))
            return;
        foreach (var xattr in node.ExtendedAttributes)
            if (Failed(item, $"setxattr {xattr.Name}", PosixCalls.SetXattr(path, xattr.Name, xattr.Value)))
                return;
        if (node.Type != NodeType.Symlink && Failed(item, "chmod", PosixCalls.Chmod(path, GoFileMode.ToPosix(node.Mode) & ~GoFileMode.PosixTypeMask)))
            return;
        Failed(item, "utimensat", PosixCalls.SetTimes(path, node.AccessTime.UnixSeconds, node.AccessTime.Nanoseconds, node.ModTime.UnixSeconds, node.ModTime.Nanoseconds));
    }

    /// <summary>Sets a regular file's metadata through its open descriptor: no path lookups.</summary>
    public void Apply(RestoreItem item, int descriptor)
    {
        item.MetadataApplied = true;
        if (item.Failed)
            return;
        var node = item.Node;
        // A file this restore created got this process's owner and group, and maybe its final mode (NewFileDefaults).
        var fresh = item.Content is { Fresh: true };
        if (!(fresh && item.Defaults!.OwnerMatches(node)) && !ChownSucceeded(item, "fchown", -PosixFileCalls.Chown(descriptor, node.Uid, node.Gid)))
            return;
        foreach (var xattr in node.ExtendedAttributes)
            if (Failed(item, $"fsetxattr {xattr.Name}", -PosixFileCalls.SetXattr(descriptor, xattr.Name, xattr.Value)))
                return;
        var mode = GoFileMode.ToPosix(node.Mode) & ~GoFileMode.PosixTypeMask;
        if (!(fresh && item.Content!.CreatedMode == mode) && Failed(item, "fchmod", -PosixFileCalls.Chmod(descriptor, mode)))
            return;
        Failed(item, "futimens", -PosixFileCalls.SetTimes(descriptor, node.AccessTime.UnixSeconds, node.AccessTime.Nanoseconds, node.ModTime.UnixSeconds, node.ModTime.Nanoseconds));
    }

    private bool ChownSucceeded(RestoreItem item, string call, int errno)
    {
        if (errno == 0 || (!_isRoot && errno == PosixCalls.EPerm))
            return true;
        errors.ReportMetadata(item, call, errno);
        return false;
    }

    private bool Failed(RestoreItem item, string call, int errno)
    {
        if (errno == 0)
            return false;
        errors.ReportMetadata(item, call, errno);
        return true;
    }
}
