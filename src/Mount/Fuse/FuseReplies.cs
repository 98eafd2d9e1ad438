using System.Buffers;
using System.Text;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// Sends replies for one request (fuse_req_t). Every request gets exactly one reply; the helpers here are the only
/// place that calls fuse_reply_*, so a request whose task completes later is answered from the continuation.
/// </summary>
internal static unsafe class FuseReplies
{
    public static void Error(FuseSession session, nint req, Exception e)
    {
        int errno;
        switch (e)
        {
            case FuseException fe:
                errno = fe.Errno;
                break;
            case OperationCanceledException:
                errno = Errno.EINTR;
                break;
            default:
                errno = Errno.EIO;
                session.ReportFailure(e);
                break;
        }
        LibFuse.fuse_reply_err(req, errno);
    }

    public static void Error(nint req, int errno) => LibFuse.fuse_reply_err(req, errno);

    /// <summary>Success for requests answered with an error code (release, flush, fsync, unlink, rename...).</summary>
    public static void Success(FuseSession session, nint req) => LibFuse.fuse_reply_err(req, 0);

    public static void Written(FuseSession session, nint req, int count) => LibFuse.fuse_reply_write(req, (nuint)count);

    /// <summary>create: the entry plus the open file (fi must be libfuse's struct or a full-size copy of it).</summary>
    public static void Created(nint req, byte* fi, FuseCreated created)
    {
        FileInfoAccess.SetHandle(fi, created.Open.Handle);
        if (created.Open.KeepCache) FileInfoAccess.SetKeepCache(fi);
        if (created.Open.DirectIo) FileInfoAccess.SetDirectIo(fi);
        var buffer = stackalloc byte[StatLayout.MaxEntryParamSize];
        StatLayout.WriteEntryParam(new Span<byte>(buffer, StatLayout.MaxEntryParamSize), created.Entry);
        LibFuse.fuse_reply_create(req, buffer, fi);
    }

    public static void NewEntry(FuseSession session, nint req, FuseEntry entry) => Entry(session, req, entry);

    public static void Entry(FuseSession session, nint req, FuseEntry? entry)
    {
        if (entry is not { } e)
        {
            LibFuse.fuse_reply_err(req, Errno.ENOENT);
            return;
        }
        var buffer = stackalloc byte[StatLayout.MaxEntryParamSize];
        StatLayout.WriteEntryParam(new Span<byte>(buffer, StatLayout.MaxEntryParamSize), e);
        LibFuse.fuse_reply_entry(req, buffer);
    }

    public static void Attributes(FuseSession session, nint req, FuseAttributes attributes)
    {
        var buffer = stackalloc byte[StatLayout.MaxEntryParamSize];
        StatLayout.WriteStat(new Span<byte>(buffer, StatLayout.MaxEntryParamSize), attributes);
        LibFuse.fuse_reply_attr(req, buffer, session.FileSystem.AttributeTimeout(attributes.Inode).TotalSeconds);
    }

    public static void Link(FuseSession session, nint req, string target)
    {
        using var text = new Utf8Z(target);
        fixed (byte* p = text.Bytes)
            LibFuse.fuse_reply_readlink(req, p);
    }

    /// <summary>getxattr/listxattr: size 0 asks for the needed size; too small a size gets ERANGE.</summary>
    public static void XattrValue(nint req, ReadOnlySpan<byte> value, nuint size)
    {
        if (size == 0)
            LibFuse.fuse_reply_xattr(req, (nuint)value.Length);
        else if ((nuint)value.Length > size)
            LibFuse.fuse_reply_err(req, Errno.ERANGE);
        else
            fixed (byte* p = value)
                LibFuse.fuse_reply_buf(req, p, (nuint)value.Length);
    }

    public static void XattrNames(nint req, IReadOnlyList<string> names, nuint size)
    {
        var length = 0;
        foreach (var n in names) length += Encoding.UTF8.GetByteCount(n) + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var at = 0;
            foreach (var n in names)
            {
                at += Encoding.UTF8.GetBytes(n, buffer.AsSpan(at));
                buffer[at++] = 0;
            }
            XattrValue(req, buffer.AsSpan(0, length), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void Data(nint req, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
            LibFuse.fuse_reply_buf(req, p, (nuint)data.Length);
    }

    /// <summary>A read's pieces in one gathered reply (the kernel copies them straight into its page cache); then releases them.</summary>
    public static void Data(nint req, IFuseReadData data)
    {
        try
        {
            var count = data.Count;
            if (count > ReadPieces.Capacity)
            {
                DataCopied(req, data);
                return;
            }
            var pins = new ReadPieces();
            var vectors = stackalloc IoVector[Math.Max(count, 1)];
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var piece = data[i];
                    pins[i] = piece.Pin();
                    vectors[i] = new IoVector { Base = pins[i].Pointer, Length = (nuint)piece.Length };
                }
                LibFuse.fuse_reply_iov(req, vectors, count);
            }
            finally
            {
                for (var i = 0; i < count; i++)
                    pins[i].Dispose();
            }
        }
        finally
        {
            data.Release();
        }
    }

    /// <summary>More pieces than a reply pins at once (not seen with restic's chunk sizes): gathered by copying.</summary>
    private static void DataCopied(nint req, IFuseReadData data)
    {
        var length = 0;
        for (var i = 0; i < data.Count; i++) length += data[i].Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var at = 0;
            for (var i = 0; i < data.Count; i++)
            {
                data[i].Span.CopyTo(buffer.AsSpan(at));
                at += data[i].Length;
            }
            Data(req, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void Statfs(nint req, FuseStatfs s)
    {
        var v = new Statvfs
        {
            BlockSize = s.BlockSize,
            FragmentSize = s.FragmentSize == 0 ? s.BlockSize : s.FragmentSize,
            Blocks = s.Blocks,
            BlocksFree = s.BlocksFree,
            BlocksAvailable = s.BlocksAvailable,
            Files = s.Files,
            FilesFree = s.FilesFree,
            FilesAvailable = s.FilesAvailable,
            NameMax = s.NameMax,
        };
        LibFuse.fuse_reply_statfs(req, &v);
    }
}
