using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StashMount.Mount.Writable;

/// <summary>
/// The spool's folder: <c>tree/</c> (what <c>new/</c> shows), <c>journal</c>, <c>incomplete/</c> (files that were
/// still open for writing when the daemon died or stopped) and <c>lock</c>, held with flock(2) so that two daemons
/// never share a spool. The runtime's FileShare emulation is switched off for this program, hence the binding.
/// </summary>
internal sealed partial class SpoolDirectory : IDisposable
{
    private const int LockExclusive = 2, LockNonBlocking = 4;
    private const string TrashPrefix = "trash-";
    private readonly SafeFileHandle _lock;

    private SpoolDirectory(string path, SafeFileHandle lockHandle)
    {
        Path = path;
        _lock = lockHandle;
    }

    public string Path { get; }

    public string TreeRoot => System.IO.Path.Join(Path, "tree");

    public string JournalPath => System.IO.Path.Join(Path, "journal");

    public string IncompleteRoot => System.IO.Path.Join(Path, "incomplete");

    /// <summary>The default: <c>$XDG_CACHE_HOME/stashmount/spool/&lt;repository id&gt;</c> (or under <c>~/.cache</c>).</summary>
    public static string DefaultPath(string repositoryId, Func<string, string?> environment)
    {
        var cache = environment("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
            cache = System.IO.Path.Join(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return System.IO.Path.Join(cache, "stashmount", "spool", repositoryId);
    }

    /// <summary>Creates the folders (0700) and takes the spool's lock; throws <see cref="IOException"/> when another daemon holds it.</summary>
    public static SpoolDirectory Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        foreach (var folder in new[] { full, System.IO.Path.Join(full, "tree") })
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var inUse = new IOException($"spool {full} is in use by another stashmount (give each mount its own --spool-dir)");
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(System.IO.Path.Join(full, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (IOException) when (File.Exists(System.IO.Path.Join(full, "lock")))
        {
            throw inUse; // a runtime with FileShare emulation (tests) already saw the other holder's flock
        }
        if (Flock((int)handle.DangerousGetHandle(), LockExclusive | LockNonBlocking) != 0)
        {
            handle.Dispose();
            throw inUse;
        }
        return new SpoolDirectory(full, handle);
    }

    public bool TreeIsEmpty() => !Directory.EnumerateFileSystemEntries(TreeRoot).Any();

    /// <summary>
    /// Empties the tree (the root stays: the mount serves it) by moving its entries into a <c>trash-*</c> folder
    /// of the spool, a few renames however big the content; <see cref="DeleteTrash"/> removes them afterwards,
    /// off the commit's path (unlinking thousands of files takes seconds on a busy disk).
    /// </summary>
    public void EmptyTree()
    {
        var trash = System.IO.Path.Join(Path, TrashPrefix + DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(trash);
        foreach (var entry in Directory.EnumerateFileSystemEntries(TreeRoot))
        {
            var target = System.IO.Path.Join(trash, System.IO.Path.GetFileName(entry));
            var info = new FileInfo(entry);
            if (info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null)
                Directory.Move(entry, target);
            else
                File.Move(entry, target);
        }
        SyncDirectory(TreeRoot);
    }

    /// <summary>Deletes what <see cref="EmptyTree"/> set aside (also what a killed daemon left); never throws.</summary>
    public void DeleteTrash()
    {
        foreach (var trash in Directory.EnumerateDirectories(Path, TrashPrefix + "*"))
        {
            try
            {
                Directory.Delete(trash, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Tried again after the next commit or at the next start.
            }
        }
    }

    /// <summary>Moves a file out of the tree into <c>incomplete/&lt;time&gt;/</c>, keeping its relative path; returns where it went.</summary>
    public string MoveToIncomplete(string fullPath, string batch)
    {
        var relative = System.IO.Path.GetRelativePath(TreeRoot, fullPath);
        var target = System.IO.Path.Join(IncompleteRoot, batch, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.Move(fullPath, target);
        return target;
    }

    /// <summary>fsync of a directory, so entries created, renamed or removed in it are durable.</summary>
    public static void SyncDirectory(string path) => WithDirectory(path, fd => Fsync(fd));

    /// <summary>syncfs(2) on the spool's file system: every spooled file and the journal durable in one call instead of one fsync per file.</summary>
    public void SyncFileSystem()
    {
        var failed = 0;
        WithDirectory(Path, fd => failed = Syncfs(fd) < 0 ? Marshal.GetLastPInvokeError() : 0);
        if (failed != 0)
            throw new IOException($"syncfs of {Path}: errno {failed}");
    }

    // .NET refuses to open a directory as a file, so the descriptor comes from open(2) itself.
    private static void WithDirectory(string path, Func<int, int> call)
    {
        const int readOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
        var fd = OpenDirectory(path, readOnlyDirectory);
        if (fd < 0)
            return;
        try
        {
            _ = call(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenDirectory(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int Syncfs(int fd);

    public void Dispose() => _lock.Dispose();
}
