using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using Mono.Unix.Native;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Writable;

/// <summary>
/// Empty spool files made ahead of need: unnamed (O_TMPFILE) inodes of the spool's file system, each open
/// read-write, so a create under <c>new/</c> is a link of one into place instead of a new inode. On ext4 without a
/// journal (this kind of VM disk) each new inode is searched past every inode freed in the last minute or so,
/// from the start of its group: after a deletion of thousands of files (an earlier commit's trash, any rm -rf on
/// that disk) a create cost 300-500 us of kernel CPU, most of a small file's time in a cp -a. The pool pays that
/// on a thread of its own, off the FUSE reader's path; an unnamed inode takes no folder's lock while it is made
/// and leaves nothing behind when the daemon stops.
/// </summary>
internal sealed partial class SpoolFilePool : IDisposable
{
    private const int Target = 256, LowWater = 192;
    private const int OpenTemporary = 0x410000 | 2 | LibC.O_CLOEXEC; // O_TMPFILE (with O_DIRECTORY) | O_RDWR
    private const int EmptyPath = 0x1000, FollowLink = 0x400; // AT_EMPTY_PATH, AT_SYMLINK_FOLLOW
    private const int NotSupported = 95, IsDirectory = 21; // EOPNOTSUPP, EISDIR
    private readonly string _directory;
    private readonly ConcurrentQueue<int> _ready = new();
    private readonly SemaphoreSlim _wake = new(0); // a spare release (two takes racing the filler) costs one more look
    private readonly Thread _filler;
    private int _count;
    private int _wakePending;
    private volatile bool _stopped;
    private volatile bool _linkByProc;

    /// <summary>Makes the files in <paramref name="directory"/>'s file system (and its inode group).</summary>
    public SpoolFilePool(string directory)
    {
        _directory = directory;
        _filler = new Thread(Fill) { IsBackground = true, Name = "spool file pool" };
        _filler.Start();
    }

    /// <summary>
    /// Links a ready empty file (mode 0600, the daemon's owner, old times) at <paramref name="target"/> unless
    /// something is there, and returns its read-write descriptor; -1 when none is ready or the link failed (the
    /// caller then creates the file itself, which gives the right error).
    /// </summary>
    public int Take(string target)
    {
        var taken = _ready.TryDequeue(out var descriptor);
        if (!taken || Interlocked.Decrement(ref _count) < LowWater)
            Wake();
        if (!taken)
            return -1;
        if (Link(descriptor, target))
            return descriptor;
        _ready.Enqueue(descriptor); // the target exists or its folder is gone: the file stays ready for the next create
        Interlocked.Increment(ref _count);
        return -1;
    }

    // linkat with AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH (ENOENT without it); /proc/self/fd/N works for any owner.
    private bool Link(int descriptor, string target)
    {
        if (!_linkByProc)
        {
            if (Linkat(descriptor, "", LibC.AT_FDCWD, target, EmptyPath) == 0)
                return true;
            if (Marshal.GetLastPInvokeError() != (int)Fuse.Errno.ENOENT || !Directory.Exists(Path.GetDirectoryName(target)))
                return false;
        }
        if (Linkat(LibC.AT_FDCWD, "/proc/self/fd/" + descriptor.ToString(CultureInfo.InvariantCulture), LibC.AT_FDCWD, target, FollowLink) != 0)
            return false;
        _linkByProc = true;
        return true;
    }

    private void Wake()
    {
        if (!_stopped && Interlocked.Exchange(ref _wakePending, 1) == 0)
            _wake.Release();
    }

    private void Fill()
    {
        // Niced: it works for the next creates, never against the present ones (the FUSE reader, the writer, cp).
        _ = SetPriority(0, GetThreadId(), 10);
        while (!_stopped)
        {
            Interlocked.Exchange(ref _wakePending, 0);
            while (!_stopped && Volatile.Read(ref _count) < Target)
            {
                // Refused (a full disk, no O_TMPFILE): creates make their own files, and get the real error.
                var descriptor = LibC.open(_directory, OpenTemporary, 0x180); // 0600
                if (descriptor < 0)
                {
                    // A file system without unnamed files (EOPNOTSUPP; EISDIR from kernels without O_TMPFILE) never will have them.
                    if (Marshal.GetLastPInvokeError() is NotSupported or IsDirectory)
                        _stopped = true;
                    break;
                }
                _ready.Enqueue(descriptor);
                Interlocked.Increment(ref _count);
            }
            _wake.Wait();
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Linkat(int oldDirectory, string oldPath, int newDirectory, string newPath, int flags);

    /// <summary>Stops making files and closes the ready ones (unnamed, they are gone then).</summary>
    public void Dispose()
    {
        _stopped = true;
        _wake.Release();
        _filler.Join();
        while (_ready.TryDequeue(out var descriptor))
            Syscall.close(descriptor);
        _wake.Dispose();
    }
}
