using System.Buffers;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// One readdir(plus) request: which slice of the listing to send. Offsets are positions in the listing with "."
/// and ".." first; each entry carries the offset of the one after it, as the kernel expects.
/// </summary>
internal readonly unsafe record struct DirectoryPage(ulong Handle, ulong Inode, int Size, long Offset, bool Plus)
{
    private static readonly TimeSpan NoCaching = TimeSpan.Zero;

    public void Reply(FuseSession session, nint req, IReadOnlyList<FuseDirectoryEntry> listing)
    {
        // The end-of-listing read: the pages before it are parsed, so the kernel knows every listed inode now.
        if (Offset >= listing.Count + 2)
            session.FileSystem.ListingDelivered(Inode);
        var buffer = ArrayPool<byte>.Shared.Rent(Size);
        try
        {
            var entryParam = stackalloc byte[StatLayout.MaxEntryParamSize];
            var used = 0;
            fixed (byte* start = buffer)
            {
                for (var index = Offset; index < listing.Count + 2; index++)
                {
                    var (name, entry) = index switch
                    {
                        0 => (".", SelfEntry(Inode)),
                        1 => ("..", SelfEntry(Inode)),
                        _ => (listing[(int)index - 2].Name, listing[(int)index - 2].Entry),
                    };
                    var paramSpan = new Span<byte>(entryParam, StatLayout.MaxEntryParamSize);
                    StatLayout.WriteEntryParam(paramSpan, entry);
                    nuint needed;
                    using (var text = new Utf8Z(name))
                    fixed (byte* namePointer = text.Bytes)
                    {
                        needed = Plus
                            ? LibFuse.fuse_add_direntry_plus(req, start + used, (nuint)(Size - used), namePointer, entryParam, index + 1)
                            : LibFuse.fuse_add_direntry(req, start + used, (nuint)(Size - used), namePointer, entryParam + 16, index + 1);
                    }
                    if (needed > (nuint)(Size - used))
                        break;
                    used += (int)needed;
                }
                LibFuse.fuse_reply_buf(req, start, (nuint)used);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static FuseEntry SelfEntry(ulong inode) =>
        new(new FuseAttributes { Inode = inode, Mode = FuseAttributes.Directory | 0x1ED }, NoCaching, NoCaching);
}
