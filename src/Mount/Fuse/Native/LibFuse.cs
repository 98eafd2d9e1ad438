using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>
/// P/Invoke declarations for the libfuse3 low-level API (Debian package libfuse3-3, ABI of libfuse 3.14).
/// Hand-written because Tmds.Fuse (the usual .NET binding) is not served by this project's package mirror, and
/// it wraps the high-level path API anyway; the inode API is what lets reads be answered asynchronously.
/// Only blittable parameters: strings are passed as NUL-terminated UTF-8 pointers built by the caller.
/// </summary>
internal static unsafe partial class LibFuse
{
    private const string Library = "libfuse3.so.3";

    [LibraryImport(Library)]
    internal static partial int fuse_version();

    [LibraryImport(Library)]
    internal static partial int fuse_opt_add_arg(FuseArgs* args, byte* arg);

    [LibraryImport(Library)]
    internal static partial void fuse_opt_free_args(FuseArgs* args);

    [LibraryImport(Library)]
    internal static partial nint fuse_session_new(FuseArgs* args, FuseLowlevelOps* ops, nuint opSize, nint userdata);

    [LibraryImport(Library)]
    internal static partial int fuse_session_mount(nint session, byte* mountpoint);

    [LibraryImport(Library)]
    internal static partial void fuse_session_unmount(nint session);

    [LibraryImport(Library)]
    internal static partial void fuse_session_destroy(nint session);

    [LibraryImport(Library)]
    internal static partial void fuse_session_exit(nint session);

    [LibraryImport(Library)]
    internal static partial void fuse_set_log_func(delegate* unmanaged<int, byte*, nint, void> func);

    [LibraryImport(Library)]
    internal static partial nint fuse_req_userdata(nint req);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_err(nint req, int err);

    [LibraryImport(Library)]
    internal static partial void fuse_reply_none(nint req);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_entry(nint req, byte* entryParam);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_attr(nint req, byte* stat, double attrTimeout);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_readlink(nint req, byte* link);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_open(nint req, byte* fileInfo);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_buf(nint req, byte* buf, nuint size);

    /// <summary>Replies with the concatenation of <paramref name="count"/> pieces (struct iovec: base, length).</summary>
    [LibraryImport(Library)]
    internal static partial int fuse_reply_iov(nint req, IoVector* iov, int count);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_create(nint req, byte* entryParam, byte* fileInfo);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_write(nint req, nuint count);

    /// <summary>struct fuse_ctx* (16 bytes: uid, gid, pid, umask; 32 bits each) of the process that made the request.</summary>
    [LibraryImport(Library)]
    internal static partial uint* fuse_req_ctx(nint req);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_statfs(nint req, Statvfs* stat);

    [LibraryImport(Library)]
    internal static partial int fuse_reply_xattr(nint req, nuint count);

    [LibraryImport(Library)]
    internal static partial nuint fuse_add_direntry(nint req, byte* buf, nuint bufsize, byte* name, byte* stat, long off);

    [LibraryImport(Library)]
    internal static partial nuint fuse_add_direntry_plus(nint req, byte* buf, nuint bufsize, byte* name, byte* entryParam, long off);

    /// <summary>Writes data into the kernel's page cache of an inode it knows (FUSE_NOTIFY_STORE); negative errno on failure.</summary>
    [LibraryImport(Library)]
    internal static partial int fuse_lowlevel_notify_store(nint session, ulong inode, long offset, FuseBufferVector* buffers, int copyFlags);

    /// <summary>The /dev/fuse descriptor of a session: notifications libfuse 3.14 has no function for are written there.</summary>
    [LibraryImport(Library)]
    internal static partial int fuse_session_fd(nint session);

    /// <summary>Reads one request into buf (allocating buf->mem on first use); bytes read, 0 once exited, or -errno.</summary>
    [LibraryImport(Library)]
    internal static partial int fuse_session_receive_buf(nint session, FuseBuffer* buf);

    /// <summary>Dispatches one request read by fuse_session_receive_buf to the ops (and answers INIT, INTERRUPT, ...).</summary>
    [LibraryImport(Library)]
    internal static partial void fuse_session_process_buf(nint session, FuseBuffer* buf);

    [LibraryImport(Library)]
    internal static partial int fuse_session_exited(nint session);
}
