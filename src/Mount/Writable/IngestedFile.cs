using StashMount.Repository;
using StashMount.Repository.Archiver;

namespace StashMount.Mount.Writable;

/// <summary>
/// A spooled file whose data blobs were handed to the writer, keyed by what identifies that version of it on
/// the spool disk: inode, size and modification time (ctime is kept for diagnosis, see <see cref="Matches"/>).
/// </summary>
internal sealed record IngestedFile(ulong Inode, long Size, long ModifyNanoseconds, long ChangeNanoseconds, IReadOnlyList<ObjectId> Content)
{
    public static long Nanoseconds(long seconds, long nanoseconds) => seconds * 1_000_000_000 + nanoseconds;

    public static IngestedFile Of(in FileStatus status, IReadOnlyList<ObjectId> content) =>
        new(status.Inode, status.Size, Nanoseconds(status.ModifySeconds, status.ModifyNanoseconds),
            Nanoseconds(status.ChangeSeconds, status.ChangeNanoseconds), content);

    /// <summary>
    /// Whether <paramref name="status"/> is still this version. ctime is deliberately not compared: chmod, chown,
    /// utimes, xattrs and rename after the close (rsync does all of them) move it without touching the data, and
    /// every data change goes through the mount, which reports the open for writing that invalidates this record.
    /// </summary>
    public bool Matches(in FileStatus status) =>
        status.IsRegular && status.Inode == Inode && status.Size == Size
        && Nanoseconds(status.ModifySeconds, status.ModifyNanoseconds) == ModifyNanoseconds;

    /// <summary>Same version and same ctime: nothing at all changed since this record.</summary>
    public bool Identical(in FileStatus status) =>
        Matches(status) && Nanoseconds(status.ChangeSeconds, status.ChangeNanoseconds) == ChangeNanoseconds;
}
