using Mono.Unix.Native;
using StashMount.Mount.Fuse;
using Errno = StashMount.Mount.Fuse.Errno;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Writable;

/// <summary>
/// The mutating operations of <c>new/</c>. Each holds a change scope of the spool while it runs and tells the spool
/// what changed: FileOpenedForWrite at create/open for writing, Changed for everything else (FileClosed is sent at
/// the last writable release). New objects get the caller's uid/gid and the exact mode asked for.
/// </summary>
internal sealed partial class SpoolFileSystem
{
    private const uint PermissionBits = 0xFFF, SetGroupId = 0x400, MadeAheadMode = 0x180;
    private const string DefaultAclName = "system.posix_acl_default";

    // The open flags a file made ahead (a plain read-write descriptor) stands for: access mode, O_CREAT, O_EXCL
    // (the rename does not replace), O_NOCTTY, O_TRUNC (it is empty), O_NONBLOCK, O_LARGEFILE, O_NOFOLLOW,
    // O_NOATIME, O_CLOEXEC. Anything else (O_APPEND, O_SYNC, O_DIRECT...) is created as asked.
    private const int MadeAheadFlags = 3 | LibC.O_CREAT | 0x80 | 0x100 | 0x200 | 0x800 | 0x8000 | LibC.O_NOFOLLOW | 0x40000 | LibC.O_CLOEXEC;
    private const int OpenDirectory = 0x10000;

    public override bool IsWritable => true;

    public override async ValueTask<FuseCreated> CreateAsync(ulong parent, string name, uint mode, int flags, FuseRequestContext caller, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var (directory, relative, full) = Child(parent, name);
        var madeAhead = (flags & ~MadeAheadFlags) == 0 && !_placeMatters ? _spool.TakeEmptyFile(full) : -1;
        var descriptor = madeAhead >= 0 ? madeAhead : SpoolPosix.Open(full, flags | LibC.O_CREAT, mode & PermissionBits);
        try
        {
            Adopt(null, descriptor, mode, caller, madeAhead >= 0);
            if (madeAhead >= 0)
                SpoolPosix.SetTimesNow(descriptor); // made a while ago
            var stat = SpoolPosix.FStat(descriptor);
            var node = _nodes.Remember(directory, name, stat);
            var open = OpenHandle(node, descriptor, flags, writable: true, relative);
            if (open.DirectIo)
                HandleOf(open.Handle).Live = _spool.FileCreatedForWrite(relative, SpoolAttributes.Status(stat));
            else
                _spool.FileOpenedForWrite(relative);
            return new FuseCreated(SpoolAttributes.Entry(node.Inode, stat, NameTimeout), open);
        }
        catch
        {
            SpoolPosix.Close(descriptor);
            throw;
        }
    }

    public override async ValueTask<FuseEntry> MakeDirectoryAsync(ulong parent, string name, uint mode, FuseRequestContext caller, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var (directory, relative, full) = Child(parent, name);
        if ((mode & SetGroupId) != 0)
            _placeMatters = true;
        SpoolPosix.Check(Syscall.mkdir(full, (FilePermissions)(mode & PermissionBits)));
        return Created(directory, name, relative, full, mode, caller);
    }

    public override async ValueTask<FuseEntry> MakeNodeAsync(ulong parent, string name, uint mode, ulong device, FuseRequestContext caller, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var (directory, relative, full) = Child(parent, name);
        SpoolPosix.Check(Syscall.mknod(full, (FilePermissions)mode, device));
        return Created(directory, name, relative, full, mode, caller);
    }

    public override async ValueTask<FuseEntry> SymlinkAsync(ulong parent, string name, string target, FuseRequestContext caller, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var (directory, relative, full) = Child(parent, name);
        SpoolPosix.Check(Syscall.symlink(target, full));
        return Created(directory, name, relative, full, null, caller);
    }

    public override async ValueTask<FuseEntry> LinkAsync(ulong inode, ulong newParent, string newName, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var existing = FullPath(_nodes.Get(inode));
        var (directory, relative, full) = Child(newParent, newName);
        SpoolPosix.Check(Syscall.link(existing, full));
        var stat = SpoolPosix.LStat(full);
        _spool.Changed(relative);
        return Remember(directory, newName, stat);
    }

    private FuseEntry Created(SpoolNode directory, string name, string relative, string full, uint? mode, FuseRequestContext caller)
    {
        Adopt(full, -1, mode, caller);
        var stat = SpoolPosix.LStat(full);
        _spool.Changed(relative);
        return Remember(directory, name, stat);
    }

    /// <summary>Gives a new object to the caller (the daemon is root) and undoes what the daemon's own umask took away.</summary>
    /// <summary>
    /// A file <paramref name="madeAhead"/> (see <see cref="IWriteSpool.TakeEmptyFile"/>) has mode 0600 and
    /// the daemon's owner whatever was asked.
    /// </summary>
    private void Adopt(string? path, int descriptor, uint? mode, FuseRequestContext caller, bool madeAhead = false)
    {
        var chowned = false;
        if (_privileged && (caller.Uid != 0 || caller.Gid != 0))
        {
            SpoolPosix.Check(path is null ? Syscall.fchown(descriptor, caller.Uid, caller.Gid) : Syscall.lchown(path, caller.Uid, caller.Gid));
            chowned = true;
        }
        // chown clears set-id bits, and the kernel already applied the caller's umask: set the mode asked for.
        if (mode is { } m && (chowned || (madeAhead ? (m & PermissionBits) != MadeAheadMode : (m & PermissionBits & _umask) != 0)))
        {
            var permissions = (FilePermissions)(m & PermissionBits);
            SpoolPosix.Check(path is null ? Syscall.fchmod(descriptor, permissions) : Syscall.chmod(path, permissions));
        }
    }

    public override async ValueTask UnlinkAsync(ulong parent, string name, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var (directory, relative, full) = Child(parent, name);
        var stat = SpoolPosix.LStat(full);
        SpoolPosix.Check(Syscall.unlink(full));
        _nodes.NameRemoved(directory, name, (stat.st_dev, stat.st_ino), lastLink: stat.st_nlink <= 1);
        _spool.Changed(relative);
    }

    public override async ValueTask RemoveDirectoryAsync(ulong parent, string name, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var (directory, relative, full) = Child(parent, name);
        var stat = SpoolPosix.LStat(full);
        SpoolPosix.Check(Syscall.rmdir(full));
        _nodes.NameRemoved(directory, name, (stat.st_dev, stat.st_ino), lastLink: true);
        _spool.Changed(relative);
    }

    public override async ValueTask RenameAsync(ulong parent, string name, ulong newParent, string newName, bool noReplace, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var (from, fromRelative, fromFull) = Child(parent, name);
        var (to, toRelative, toFull) = Child(newParent, newName);
        var moved = SpoolPosix.LStat(fromFull);
        var replaced = SpoolPosix.TryLStat(toFull, out var target);
        SpoolPosix.Check(noReplace
            ? LibC.renameat2(LibC.AT_FDCWD, fromFull, LibC.AT_FDCWD, toFull, LibC.RENAME_NOREPLACE)
            : Syscall.rename(fromFull, toFull));
        var movedKey = (moved.st_dev, moved.st_ino);
        if (replaced && (target.st_dev, target.st_ino) != movedKey)
            _nodes.NameRemoved(to, newName, (target.st_dev, target.st_ino), lastLink: SpoolAttributes.IsDirectory(target) || target.st_nlink <= 1);
        if (replaced && (target.st_dev, target.st_ino) == movedKey)
            return; // both names were links of one file: rename(2) does nothing
        _nodes.Moved(movedKey, to, newName);
        _spool.Changed(fromRelative);
        _spool.Changed(toRelative);
    }

    public override async ValueTask<FuseAttributes> SetAttributesAsync(ulong inode, FuseSetAttributes changes, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var node = _nodes.Get(inode);
        // A directory's fh is a directory handle (another numbering): only a file handle of this very inode counts.
        // Without one (utimes, chmod, chown by name), any open handle of the file serves, except for a truncate.
        var open = changes.Handle is { } h && _handles.TryGetValue(h, out var o) && o.Node == node ? o
            : changes.Size is null ? _nodes.AnyHandle(node) : null;
        if (open is not null)
        {
            lock (open.Gate)
                if (!open.Closed)
                    return SetAttributes(node, changes, open.Descriptor, null);
        }
        return SetAttributes(node, changes, -1, FullPath(node));
    }

    // By the descriptor when path is null, else by the path.
    private FuseAttributes SetAttributes(SpoolNode node, FuseSetAttributes changes, int descriptor, string? path)
    {
        if (changes.Uid is not null || changes.Gid is not null)
        {
            uint uid = changes.Uid ?? uint.MaxValue, gid = changes.Gid ?? uint.MaxValue; // -1: leave alone
            SpoolPosix.Check(path is null ? Syscall.fchown(descriptor, uid, gid) : Syscall.lchown(path, uid, gid));
        }
        if (changes.Mode is { } mode)
        {
            if ((mode & SetGroupId) != 0)
                _placeMatters = true;
            var permissions = (FilePermissions)(mode & PermissionBits);
            SpoolPosix.Check(path is null ? Syscall.fchmod(descriptor, permissions) : Syscall.chmod(path, permissions));
        }
        if (changes.Size is { } size)
        {
            foreach (var handle in _nodes.HandlesOf(node))
                handle.Live?.Abandon();
            SpoolPosix.Check(path is null ? Syscall.ftruncate(descriptor, size) : Syscall.truncate(path, size));
        }
        if (changes.ChangesTimes)
            SpoolPosix.SetTimes(path, descriptor, changes.AccessTime, changes.ModificationTime);
        var stat = path is null ? SpoolPosix.FStat(descriptor) : SpoolPosix.LStat(path);
        ReportAttributeChange(node, contentChanged: changes.Size is not null);
        return SpoolAttributes.Of(node.Inode, stat);
    }

    /// <summary>
    /// A truncate outside any writable handle changes content like open-write-close, and is reported so. A file open
    /// for writing is reported by its close anyway: cp -a's utimes, chown and ACL on the file it is still writing
    /// cost the spool nothing.
    /// </summary>
    private void ReportAttributeChange(SpoolNode node, bool contentChanged)
    {
        if (node.WritableHandles > 0 || _nodes.TryPathOf(node) is not { } relative)
            return;
        if (contentChanged)
        {
            _spool.FileOpenedForWrite(relative);
            _spool.FileClosed(relative);
        }
        else
        {
            _spool.Changed(relative);
        }
    }

    public override ValueTask<int> WriteAsync(ulong inode, ulong handle, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var open = HandleOf(handle);
        var entering = _spool.EnterChangeAsync(cancellationToken);
        if (entering.IsCompletedSuccessfully)
        {
            int written;
            using (entering.Result)
                written = Write(open, data.Span, offset);
            if (open.Live is not { } live)
                return ValueTask.FromResult(written);
            var room = live.Written(offset, data.Span[..written]);
            return room.IsCompletedSuccessfully ? ValueTask.FromResult(written) : WrittenWhenRoomAsync(room, written);
        }
        open.Live?.Abandon(); // written after a commit's wait: rare, and the close reads the file instead
        return WriteLaterAsync(entering, open, data.ToArray(), offset);
    }

    // The chunks of a big file being hashed hold their buffers: the next write waits for one of them.
    private static async ValueTask<int> WrittenWhenRoomAsync(ValueTask room, int written)
    {
        await room.ConfigureAwait(false);
        return written;
    }

    // A failed write (ENOSPC, EIO) marks the file, so its release sets it aside instead of offering it to a commit.
    private static int Write(SpoolHandle open, ReadOnlySpan<byte> data, long offset)
    {
        try
        {
            return SpoolPosix.Write(open.Descriptor, data, offset);
        }
        catch (FuseException)
        {
            open.Node.WriteFailed = true;
            throw;
        }
    }

    // The spool is committing: data points into libfuse's buffer, which is reused once the callback returns, so it was copied.
    private static async ValueTask<int> WriteLaterAsync(ValueTask<IDisposable> entering, SpoolHandle open, byte[] data, long offset)
    {
        using var change = await entering.ConfigureAwait(false);
        return Write(open, data, offset);
    }

    public override ValueTask SyncAsync(ulong inode, ulong handle, bool dataOnly, CancellationToken cancellationToken)
    {
        SpoolPosix.Sync(HandleOf(handle).Descriptor, dataOnly);
        return ValueTask.CompletedTask;
    }

    public override ValueTask SyncDirectoryAsync(ulong inode, bool dataOnly, CancellationToken cancellationToken)
    {
        var descriptor = SpoolPosix.Open(FullPath(_nodes.Get(inode)), OpenDirectory, 0);
        try
        {
            SpoolPosix.Sync(descriptor, dataOnly);
        }
        finally
        {
            SpoolPosix.Close(descriptor);
        }
        return ValueTask.CompletedTask;
    }

    public override async ValueTask SetExtendedAttributeAsync(ulong inode, string name, byte[] value, int flags, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var node = _nodes.Get(inode);
        if (name == DefaultAclName)
            _placeMatters = true;
        if (!SetOnOpenFile(node, name, value, flags))
            SpoolPosix.Check(Syscall.lsetxattr(FullPath(node), name, value, (ulong)value.Length, (XattrFlags)flags));
        _spool.ExtendedAttributeSet(name, value);
        ReportAttributeChange(node, contentChanged: false);
    }

    // cp -a sets the ACL of the file it is still writing: on that descriptor, no walk of its path.
    private bool SetOnOpenFile(SpoolNode node, string name, byte[] value, int flags)
    {
        if (_nodes.AnyHandle(node) is not { } open)
            return false;
        lock (open.Gate)
        {
            if (open.Closed)
                return false;
            SpoolPosix.Check(Syscall.fsetxattr(open.Descriptor, name, value, (ulong)value.Length, (XattrFlags)flags));
            return true;
        }
    }

    public override async ValueTask RemoveExtendedAttributeAsync(ulong inode, string name, CancellationToken cancellationToken)
    {
        using var change = await _spool.EnterChangeAsync(cancellationToken).ConfigureAwait(false);
        var node = _nodes.Get(inode);
        SpoolPosix.Check(Syscall.lremovexattr(FullPath(node), name));
        ReportAttributeChange(node, contentChanged: false);
    }
}
