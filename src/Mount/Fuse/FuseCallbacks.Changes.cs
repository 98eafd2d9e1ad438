using System.Buffers;
using System.Runtime.InteropServices;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// The write ops. Everything a callback needs from libfuse's arguments (names, the setattr struct, fi's handle,
/// xattr values) is read before it returns, because those pointers die with the callback; write data is passed
/// as memory over libfuse's buffer and consumed before the filesystem first awaits (see WriteAsync).
/// </summary>
internal static unsafe partial class FuseCallbacks
{
    private const uint RenameNoReplace = 1;

    // No flush op: nothing here has work to do at each close(2), and libfuse's ENOSYS makes the kernel stop
    // sending FLUSH for good, one round trip less per file closed (cp -a of small files is mostly round trips).
    private static void AddWriteOps(ref FuseLowlevelOps ops)
    {
        ops.SetAttr = &OnSetAttr;
        ops.MkNod = &OnMkNod;
        ops.MkDir = &OnMkDir;
        ops.Unlink = &OnUnlink;
        ops.RmDir = &OnRmDir;
        ops.Symlink = &OnSymlink;
        ops.Rename = &OnRename;
        ops.Link = &OnLink;
        ops.Write = &OnWrite;
        ops.Fsync = &OnFsync;
        ops.FsyncDir = &OnFsyncDir;
        ops.SetXattr = &OnSetXattr;
        ops.RemoveXattr = &OnRemoveXattr;
        ops.Create = &OnCreate;
    }

    private static FuseRequestContext CallerOf(nint req)
    {
        var ctx = LibFuse.fuse_req_ctx(req);
        return ctx == null ? default : new FuseRequestContext(ctx[0], ctx[1], ctx[2], ctx[3]);
    }

    [UnmanagedCallersOnly]
    private static void OnSetAttr(nint req, ulong inode, byte* attr, int toSet, byte* fi)
    {
        var s = SessionOf(req);
        try
        {
            var changes = StatLayout.ReadSetAttributes(new ReadOnlySpan<byte>(attr, StatLayout.StatSize), toSet, fi == null ? null : FileInfoAccess.Handle(fi));
            ReplyWhenDone.Run(s, req, s.FileSystem.SetAttributesAsync(inode, changes, s.Stopping), FuseReplies.Attributes);
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnMkNod(nint req, ulong parent, byte* name, uint mode, ulong device)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.MakeNodeAsync(parent, Utf8Z.Read(name), mode, device, CallerOf(req), s.Stopping), FuseReplies.NewEntry); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnMkDir(nint req, ulong parent, byte* name, uint mode)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.MakeDirectoryAsync(parent, Utf8Z.Read(name), mode, CallerOf(req), s.Stopping), FuseReplies.NewEntry); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnUnlink(nint req, ulong parent, byte* name)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.UnlinkAsync(parent, Utf8Z.Read(name), s.Stopping), FuseReplies.Success); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnRmDir(nint req, ulong parent, byte* name)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.RemoveDirectoryAsync(parent, Utf8Z.Read(name), s.Stopping), FuseReplies.Success); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnSymlink(nint req, byte* target, ulong parent, byte* name)
    {
        var s = SessionOf(req);
        try
        {
            var task = s.FileSystem.SymlinkAsync(parent, Utf8Z.Read(name), Utf8Z.Read(target), CallerOf(req), s.Stopping);
            ReplyWhenDone.Run(s, req, task, FuseReplies.NewEntry);
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnRename(nint req, ulong parent, byte* name, ulong newParent, byte* newName, uint flags)
    {
        var s = SessionOf(req);
        try
        {
            // RENAME_EXCHANGE and RENAME_WHITEOUT are not offered: callers fall back or report EINVAL.
            if ((flags & ~RenameNoReplace) != 0)
            {
                FuseReplies.Error(req, Errno.EINVAL);
                return;
            }
            var task = s.FileSystem.RenameAsync(parent, Utf8Z.Read(name), newParent, Utf8Z.Read(newName), flags == RenameNoReplace, s.Stopping);
            ReplyWhenDone.Run(s, req, task, FuseReplies.Success);
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnLink(nint req, ulong inode, ulong newParent, byte* newName)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.LinkAsync(inode, newParent, Utf8Z.Read(newName), s.Stopping), FuseReplies.NewEntry); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnWrite(nint req, ulong inode, byte* buffer, nuint size, long offset, byte* fi)
    {
        var s = SessionOf(req);
        try
        {
            using var data = new NativeMemory(buffer, checked((int)size));
            ReplyWhenDone.Run(s, req, s.FileSystem.WriteAsync(inode, FileInfoAccess.Handle(fi), offset, data.Memory, s.Stopping), FuseReplies.Written);
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnFsync(nint req, ulong inode, int dataOnly, byte* fi)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.SyncAsync(inode, FileInfoAccess.Handle(fi), dataOnly != 0, s.Stopping), FuseReplies.Success); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnFsyncDir(nint req, ulong inode, int dataOnly, byte* fi)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.SyncDirectoryAsync(inode, dataOnly != 0, s.Stopping), FuseReplies.Success); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnSetXattr(nint req, ulong inode, byte* name, byte* value, nuint size, int flags)
    {
        var s = SessionOf(req);
        try
        {
            var copy = new ReadOnlySpan<byte>(value, checked((int)size)).ToArray();
            ReplyWhenDone.Run(s, req, s.FileSystem.SetExtendedAttributeAsync(inode, Utf8Z.Read(name), copy, flags, s.Stopping), FuseReplies.Success);
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnRemoveXattr(nint req, ulong inode, byte* name)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.RemoveExtendedAttributeAsync(inode, Utf8Z.Read(name), s.Stopping), FuseReplies.Success); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnCreate(nint req, ulong parent, byte* name, uint mode, byte* fi)
    {
        var s = SessionOf(req);
        try
        {
            var task = s.FileSystem.CreateAsync(parent, Utf8Z.Read(name), mode, FileInfoAccess.OpenFlags(fi), CallerOf(req), s.Stopping);
            if (task.IsCompletedSuccessfully)
            {
                FuseReplies.Created(req, fi, task.Result);
                return;
            }
            // fi dies with this callback: answer later from a copy (zero-extended to the largest known layout).
            var copy = FileInfoAccess.Copy(fi);
            ReplyWhenDone.Run(s, req, task, (_, r, created) =>
            {
                fixed (byte* p = copy) FuseReplies.Created(r, p, created);
            });
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    /// <summary>Memory over libfuse's write buffer, so the filesystem gets a ReadOnlyMemory without a copy.</summary>
    private sealed class NativeMemory(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
