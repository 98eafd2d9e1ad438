using StashMount.Repository.Archiver;

namespace StashMount.Mount.Writable;

/// <summary>
/// The staging area behind a writable mount's <c>new/</c> directory. The FUSE layer keeps everything written to
/// <c>new/</c> as a plain directory tree under <see cref="TreeRoot"/> on local disk (a passthrough), and reports
/// what happened so the spool can ingest closed files in the background and commit them as one snapshot.
/// Paths given to the spool are relative to <see cref="TreeRoot"/>, '/'-separated, without a leading '/'.
/// </summary>
public interface IWriteSpool
{
    /// <summary>Absolute path of the local directory whose content <c>new/</c> shows.</summary>
    string TreeRoot { get; }

    /// <summary>
    /// Enters a change to the tree. Every mutating operation under <c>new/</c> holds the returned scope while it
    /// runs; a commit waits for the scopes in progress and keeps new ones waiting while it empties the tree,
    /// so a commit never sees half an operation.
    /// </summary>
    ValueTask<IDisposable> EnterChangeAsync(CancellationToken cancellationToken);

    /// <summary>A file was opened for writing (or created). It is not ingested until <see cref="FileClosed"/>.</summary>
    void FileOpenedForWrite(string relativePath);

    /// <summary>
    /// A file was created by a handle that only writes. Like <see cref="FileOpenedForWrite"/>; the spool may also
    /// return a <see cref="LiveIngestion"/> to be told each write that reached the file (see there).
    /// <paramref name="created"/> is the new file's fstat, so the spool need not stat it by its path again.
    /// </summary>
    LiveIngestion? FileCreatedForWrite(string relativePath, FileStatus created)
    {
        FileOpenedForWrite(relativePath);
        return null;
    }

    /// <summary>
    /// Links an empty file made ahead of need (mode 0600, the daemon's owner, any times) at the absolute path
    /// <paramref name="fullPath"/> in the tree, unless something is there, and returns its read-write descriptor;
    /// -1 when the spool has none (the caller then creates the file itself).
    /// </summary>
    int TakeEmptyFile(string fullPath) => -1;

    /// <summary>The last writable handle of a file was released, after its data was flushed to the spool disk.</summary>
    void FileClosed(string relativePath);

    /// <summary>
    /// Like <see cref="FileClosed(string)"/>, with the file's fstat taken just before the descriptor was closed
    /// (null: its last link was removed while it was open), so the spool need not stat it by its path again.
    /// </summary>
    void FileClosed(string relativePath, FileStatus? closed) => FileClosed(relativePath);

    /// <summary>
    /// The last writable handle of a file was released after a write or fsync to it failed (ENOSPC, EIO): its
    /// content is incomplete, so it must not be committed. Reported instead of <see cref="FileClosed"/>, inside a
    /// change scope.
    /// </summary>
    void FileWriteFailed(string relativePath);

    /// <summary>
    /// An xattr was set on an entry (inside the change scope of the setxattr, besides the change or close that
    /// reports the entry): the spool then knows whether its commit must list xattrs at all.
    /// </summary>
    void ExtendedAttributeSet(string name, ReadOnlySpan<byte> value)
    {
    }

    /// <summary>Any other change under <c>new/</c> (mkdir, rename, unlink, chmod, utimes, xattr...): restarts the idle timer.</summary>
    void Changed(string relativePath);

    /// <summary>
    /// Raised after a commit emptied <see cref="TreeRoot"/>, while the commit still holds the tree exclusively:
    /// the FUSE layer forgets every inode it had below <c>new/</c> so that <c>new/</c> shows empty.
    /// </summary>
    event Action? TreeEmptied;
}
