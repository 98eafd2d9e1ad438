using System.Runtime.InteropServices;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// One mounted filesystem: the libfuse session, its multi-threaded loop on a dedicated thread, and an orderly
/// stop (exit flag, then a lazy unmount that wakes the workers blocked in read(/dev/fuse), then destroy).
/// </summary>
public sealed unsafe class FuseSession : IKernelPageCache, IKernelNameCache, IDisposable
{
    private readonly FuseMountOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<int> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GCHandle _self;
    private FuseArgs _args;
    private nint _session;
    private Thread? _loop;
    private int _stopRequested;
    private int _failuresLogged;
    private int _storing;
    private volatile bool _canExpireAll;

    private FuseSession(FuseFileSystem fileSystem, string mountPoint, FuseMountOptions options)
    {
        FileSystem = fileSystem;
        MountPoint = mountPoint;
        _options = options;
    }

    public FuseFileSystem FileSystem { get; }

    public string MountPoint { get; }

    /// <summary>Completes with the loop's return code (0 after a clean unmount) when the session ends.</summary>
    public Task<int> Completion => _completion.Task;

    internal CancellationToken Stopping => _stopping.Token;

    internal DirectoryHandles Directories { get; } = new();

    /// <summary>
    /// Mounts <paramref name="fileSystem"/> at <paramref name="mountPoint"/> and starts serving it. Throws
    /// <see cref="MountException"/> with a one-line message when the mountpoint is unusable or the mount fails.
    /// </summary>
    public static FuseSession Mount(FuseFileSystem fileSystem, string mountPoint, FuseMountOptions? options = null)
    {
        var full = MountPointCheck.Validate(mountPoint);
        var session = new FuseSession(fileSystem, full, options ?? new FuseMountOptions());
        try
        {
            session.Create();
            fileSystem.PageCache = session;
            fileSystem.NameCache = session;
            session.Start();
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return session;
    }

    private void Create()
    {
        FuseLog.Attach(_options.Log);
        FuseLog.Capturing = true;
        try
        {
            CreateAndMount();
        }
        finally
        {
            FuseLog.Capturing = false;
        }
    }

    private void CreateAndMount()
    {
        _self = GCHandle.Alloc(this);
        fixed (FuseArgs* args = &_args)
        {
            AddArgument(args, "stashmount");
            AddArgument(args, "-o");
            AddArgument(args, BuildOptionString());
            var ops = FuseCallbacks.CreateOps();
            _session = LibFuse.fuse_session_new(args, &ops, (nuint)sizeof(FuseLowlevelOps), GCHandle.ToIntPtr(_self));
        }
        if (_session == 0)
            throw new MountException($"cannot mount at {MountPoint}: libfuse rejected the options ({FuseLog.LastMessage ?? "no detail"})");
        using var path = new Utf8Z(MountPoint);
        int rc;
        fixed (byte* p = path.Bytes)
            rc = LibFuse.fuse_session_mount(_session, p);
        if (rc != 0)
            throw new MountException($"cannot mount at {MountPoint}: {FuseLog.LastMessage ?? "mount failed"}");
    }

    private string BuildOptionString()
    {
        // fsname/subtype show in /proc/mounts and df; max_read is left at libfuse's default, which already
        // negotiates the kernel's ceiling of 1 MiB per request (a smaller value could only lower it).
        var o = new List<string> { "fsname=" + Escape(_options.FileSystemName), "subtype=" + Escape(_options.Subtype) };
        if (_options.ReadOnly && !FileSystem.IsWritable) o.Add("ro");
        if (_options.AllowOther) o.Add("allow_other");
        if (_options.DefaultPermissions) o.Add("default_permissions");
        return string.Join(',', o);

        static string Escape(string value) => value.Replace("\\", "\\\\").Replace(",", "\\,");
    }

    private static void AddArgument(FuseArgs* args, string value)
    {
        using var text = new Utf8Z(value);
        fixed (byte* p = text.Bytes)
            if (LibFuse.fuse_opt_add_arg(args, p) != 0)
                throw new OutOfMemoryException("fuse_opt_add_arg failed");
    }

    private void Start()
    {
        _loop = new Thread(RunLoop) { IsBackground = true, Name = "fuse-loop" };
        _loop.Start();
        _ = Task.Run(TuneReadAhead);
    }

    private void RunLoop()
    {
        try
        {
            var rc = new FuseRequestLoop(_session, _options.MaxThreads, RequestStop).Run();
            _stopping.Cancel();
            _completion.TrySetResult(rc);
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
        }
    }

    /// <summary>Called from the init callback: ask for what helps a read-only, immutable tree.</summary>
    internal void Negotiate(FuseConnInfo* conn)
    {
        var wanted = FuseConnInfo.CapAsyncRead | FuseConnInfo.CapReaddirplus | FuseConnInfo.CapReaddirplusAuto
            | FuseConnInfo.CapParallelDirops | FuseConnInfo.CapCacheSymlinks;
        // Asking for a capability the kernel lacks aborts the mount, so only take what it offers.
        conn->Want |= wanted & conn->Capable;
        conn->Want &= ~FuseConnInfo.CapAutoInvalData;
        _canExpireAll = conn->ProtoMajor == 7 && conn->ProtoMinor >= FirstMinorWithEpoch;
        conn->MaxWrite = Math.Min(conn->MaxWrite, LoopWorker.MaxWriteBytes); // what LoopWorker's request buffers hold
        conn->MaxBackground = (uint)_options.MaxBackground;
        conn->CongestionThreshold = (uint)(_options.MaxBackground * 3 / 4);
    }

    /// <summary>
    /// The kernel clamps readahead to what init negotiated (128 KiB); only the bdi sysfs knob raises it, and only
    /// once init is done. A stat of the root waits for init, so it is done when that returns.
    /// </summary>
    private void TuneReadAhead()
    {
        if (_options.ReadAheadKilobytes <= 0 || !Environment.IsPrivilegedProcess)
            return;
        try
        {
            _ = Directory.GetLastWriteTimeUtc(MountPoint);
            var device = MountTable.DeviceOf(MountPoint);
            if (device != null)
                File.WriteAllText($"/sys/class/bdi/{device}/read_ahead_kb", _options.ReadAheadKilobytes.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Slower sequential reads, nothing worse.
        }
    }

    /// <summary>Stops serving: sets libfuse's exit flag and detaches the mount so blocked workers wake up.</summary>
    public void RequestStop()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0)
            return;
        _stopping.Cancel();
        if (_session != 0)
            LibFuse.fuse_session_exit(_session);
        Unmounter.DetachLazily(MountPoint);
    }

    /// <summary>Stops and waits for the loop to end; returns its exit code.</summary>
    public Task<int> StopAsync()
    {
        RequestStop();
        return Completion;
    }

    public bool Store(ulong inode, long offset, ReadOnlySpan<byte> data)
    {
        Interlocked.Increment(ref _storing);
        try
        {
            // Checked after announcing the store: Dispose waits for stores in progress before it destroys the session.
            if (_session == 0 || Volatile.Read(ref _stopRequested) != 0)
                return false;
            fixed (byte* p = data)
            {
                var buffers = FuseBufferVector.Of(p, data.Length);
                return LibFuse.fuse_lowlevel_notify_store(_session, inode, offset, &buffers, 0) == 0;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _storing);
        }
    }

    private const uint FirstMinorWithEpoch = 44;
    private const int NotifyIncrementEpoch = 8;

    public bool CanExpireAll => _canExpireAll;

    /// <summary>
    /// FUSE_NOTIFY_INC_EPOCH, written to /dev/fuse by hand (a bare out-header with unique 0): libfuse 3.14 has no
    /// function for it. The kernel stamps each name with the epoch read before its lookup was sent, so a lookup
    /// answered from the old tree while this runs is void as well.
    /// </summary>
    public bool ExpireAll()
    {
        if (!_canExpireAll)
            return false;
        Interlocked.Increment(ref _storing);
        try
        {
            if (_session == 0 || Volatile.Read(ref _stopRequested) != 0)
                return false;
            var header = stackalloc uint[4] { 16, NotifyIncrementEpoch, 0, 0 }; // len, error (= notify code), unique
            return LibC.write(LibFuse.fuse_session_fd(_session), (byte*)header, 16) == 16;
        }
        finally
        {
            Interlocked.Decrement(ref _storing);
        }
    }

    internal void ReportFailure(Exception e)
    {
        // One line per failure, but never flood the log from a tight loop of failing reads.
        if (Interlocked.Increment(ref _failuresLogged) <= 100)
            _options.Log($"{e.GetType().Name}: {e.Message}");
    }

    public void Dispose()
    {
        if (_loop != null)
        {
            RequestStop();
            _loop.Join();
            _loop = null;
        }
        if (_session != 0)
        {
            Volatile.Write(ref _stopRequested, 1); // no new page-cache stores; wait for those under way
            SpinWait.SpinUntil(() => Volatile.Read(ref _storing) == 0);
            LibFuse.fuse_session_unmount(_session);
            LibFuse.fuse_session_destroy(_session);
            _session = 0;
        }
        fixed (FuseArgs* args = &_args)
            LibFuse.fuse_opt_free_args(args);
        if (_self.IsAllocated) _self.Free();
        _stopping.Dispose();
    }
}
