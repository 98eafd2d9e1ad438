using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// The native entry points libfuse calls, one per implemented op. Each finds its <see cref="FuseSession"/> from the
/// request's userdata, starts the filesystem's (possibly asynchronous) work and arranges exactly one reply. No
/// exception may escape: one that reached libfuse's thread would kill the process and leave a stale mount.
/// </summary>
internal static unsafe partial class FuseCallbacks
{
    public static FuseLowlevelOps CreateOps()
    {
        var ops = ReadOps();
        AddWriteOps(ref ops);
        return ops;
    }

    private static FuseLowlevelOps ReadOps() => new()
    {
        Init = &OnInit,
        Lookup = &OnLookup,
        Forget = &OnForget,
        ForgetMulti = &OnForgetMulti,
        GetAttr = &OnGetAttr,
        ReadLink = &OnReadLink,
        Open = &OnOpen,
        Read = &OnRead,
        Release = &OnRelease,
        OpenDir = &OnOpenDir,
        ReadDir = &OnReadDir,
        ReadDirPlus = &OnReadDirPlus,
        ReleaseDir = &OnReleaseDir,
        StatFs = &OnStatFs,
        GetXattr = &OnGetXattr,
        ListXattr = &OnListXattr,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FuseSession SessionOf(nint req) => (FuseSession)GCHandle.FromIntPtr(LibFuse.fuse_req_userdata(req)).Target!;

    [UnmanagedCallersOnly]
    private static void OnInit(nint userdata, FuseConnInfo* conn)
    {
        try
        {
            ((FuseSession)GCHandle.FromIntPtr(userdata).Target!).Negotiate(conn);
        }
        catch (Exception)
        {
            // Keep libfuse's defaults; the mount still works.
        }
    }

    [UnmanagedCallersOnly]
    private static void OnLookup(nint req, ulong parent, byte* name)
    {
        var s = SessionOf(req);
        try
        {
            ReplyWhenDone.Run(s, req, s.FileSystem.LookupAsync(parent, Utf8Z.Read(name), s.Stopping), FuseReplies.Entry);
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnForget(nint req, ulong inode, ulong count)
    {
        try { SessionOf(req).FileSystem.Forget(inode, count); }
        catch (Exception) { /* forget has no reply but none */ }
        LibFuse.fuse_reply_none(req);
    }

    [UnmanagedCallersOnly]
    private static void OnForgetMulti(nint req, nuint count, byte* forgets)
    {
        try
        {
            var fs = SessionOf(req).FileSystem;
            for (nuint i = 0; i < count; i++)
            {
                var item = (ulong*)(forgets + 16 * (long)i);
                fs.Forget(item[0], item[1]);
            }
        }
        catch (Exception) { /* forget has no reply but none */ }
        LibFuse.fuse_reply_none(req);
    }

    [UnmanagedCallersOnly]
    private static void OnGetAttr(nint req, ulong inode, byte* fi)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.GetAttributesAsync(inode, s.Stopping), FuseReplies.Attributes); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnReadLink(nint req, ulong inode)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.ReadLinkAsync(inode, s.Stopping), FuseReplies.Link); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnOpen(nint req, ulong inode, byte* fi)
    {
        var s = SessionOf(req);
        try
        {
            var task = s.FileSystem.OpenAsync(inode, FileInfoAccess.OpenFlags(fi), s.Stopping);
            if (task.IsCompletedSuccessfully)
            {
                ReplyOpen(req, fi, task.Result);
                return;
            }
            // fi dies with this callback: answer later from a copy (zero-extended to the largest known layout).
            var copy = FileInfoAccess.Copy(fi);
            ReplyWhenDone.Run(s, req, task, (_, r, result) =>
            {
                fixed (byte* p = copy) ReplyOpen(r, p, result);
            });
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    private static void ReplyOpen(nint req, byte* fi, FuseOpenResult result)
    {
        FileInfoAccess.SetHandle(fi, result.Handle);
        if (result.KeepCache) FileInfoAccess.SetKeepCache(fi);
        if (result.DirectIo) FileInfoAccess.SetDirectIo(fi);
        LibFuse.fuse_reply_open(req, fi);
    }

    [UnmanagedCallersOnly]
    private static void OnRead(nint req, ulong inode, nuint size, long offset, byte* fi)
    {
        var s = SessionOf(req);
        try
        {
            var task = s.FileSystem.ReadDataAsync(inode, FileInfoAccess.Handle(fi), offset, (int)size, s.Stopping);
            ReplyWhenDone.Run(s, req, task, static (_, r, data) => FuseReplies.Data(r, data));
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnRelease(nint req, ulong inode, byte* fi)
    {
        var s = SessionOf(req);
        try { ReplyWhenDone.Run(s, req, s.FileSystem.ReleaseAsync(inode, FileInfoAccess.Handle(fi), s.Stopping), FuseReplies.Success); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnOpenDir(nint req, ulong inode, byte* fi)
    {
        var s = SessionOf(req);
        try
        {
            // fi dies with this callback: the listing is loaded by the first readdir, which may go async.
            FileInfoAccess.SetHandle(fi, s.Directories.Open(inode));
            // keep_cache too: without it the kernel drops the cached listing at every opendir, so a second find
            // asked for every listing again.
            if (s.FileSystem.CanCacheDirectory(inode))
            {
                FileInfoAccess.SetCacheReaddir(fi);
                FileInfoAccess.SetKeepCache(fi);
            }
            LibFuse.fuse_reply_open(req, fi);
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnReadDir(nint req, ulong inode, nuint size, long offset, byte* fi) => ReadDirectory(req, inode, size, offset, fi, plus: false);

    [UnmanagedCallersOnly]
    private static void OnReadDirPlus(nint req, ulong inode, nuint size, long offset, byte* fi) => ReadDirectory(req, inode, size, offset, fi, plus: true);

    private static void ReadDirectory(nint req, ulong inode, nuint size, long offset, byte* fi, bool plus)
    {
        var s = SessionOf(req);
        try
        {
            var page = new DirectoryPage(FileInfoAccess.Handle(fi), inode, (int)size, offset, plus);
            ReplyWhenDone.Run(s, req, s.Directories.ListingAsync(page.Handle, s.FileSystem, s.Stopping), page.Reply);
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnReleaseDir(nint req, ulong inode, byte* fi)
    {
        var s = SessionOf(req);
        s.Directories.Release(FileInfoAccess.Handle(fi));
        FuseReplies.Error(req, 0);
    }

    [UnmanagedCallersOnly]
    private static void OnStatFs(nint req, ulong inode)
    {
        var s = SessionOf(req);
        try { FuseReplies.Statfs(req, s.FileSystem.GetStatfs(inode)); }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnGetXattr(nint req, ulong inode, byte* name, nuint size)
    {
        var s = SessionOf(req);
        try
        {
            ReplyWhenDone.Run(s, req, s.FileSystem.GetExtendedAttributeAsync(inode, Utf8Z.Read(name), s.Stopping), (_, r, value) =>
            {
                if (value is null) FuseReplies.Error(r, Errno.ENODATA);
                else FuseReplies.XattrValue(r, value, size);
            });
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }

    [UnmanagedCallersOnly]
    private static void OnListXattr(nint req, ulong inode, nuint size)
    {
        var s = SessionOf(req);
        try
        {
            ReplyWhenDone.Run(s, req, s.FileSystem.ListExtendedAttributesAsync(inode, s.Stopping),
                (_, r, names) => FuseReplies.XattrNames(r, names, size));
        }
        catch (Exception e) { FuseReplies.Error(s, req, e); }
    }
}
