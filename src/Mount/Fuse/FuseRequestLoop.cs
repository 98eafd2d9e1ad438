using System.Diagnostics;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// The session loop, over fuse_session_receive_buf/process_buf instead of libfuse's multi-threaded loop: one
/// primary thread reads every request and runs its callback inline. Callbacks return quickly (slow work goes
/// async and replies from another thread), and libfuse's pool woke a different worker for each request (the
/// kernel wakes the reader that waited longest): cp -a of 4,000 small files into new/ cost the daemon 3.0-4.5 s
/// CPU with 16 workers, 1.8-2.5 s with one, and was faster (load 3-11).
/// A callback may still block: on disk I/O, or on the kernel (a page-cache store waits for pages a queued read
/// has locked, and only a reader of /dev/fuse can unlock them). So a guard checks the serving threads every
/// <see cref="StallCheck"/> while the mount is busy (it sleeps for good once it is idle) and, when every one of
/// them has been inside the same request since its last look, sends one more thread reading.
/// </summary>
internal sealed class FuseRequestLoop
{
    // Each look is a timer wakeup (~50 us of CPU at load here): at 2 ms the guard cost ~6% of the primary's CPU
    // during a cp -a, and a loaded machine's preemption made the primary look stuck now and then.
    private static readonly TimeSpan StallCheck = TimeSpan.FromMilliseconds(10);
    private static readonly long IdleAfterTicks = Stopwatch.Frequency / 10;

    private readonly nint _session;
    private readonly int _maxThreads;
    private readonly Action _stop;
    private readonly List<LoopWorker> _workers = [];
    private readonly SemaphoreSlim _guardWake = new(0);
    private int _guardParked;
    private long _lastStart;
    private volatile bool _done;
    private int _error;

    /// <param name="stop">Ends the session (exit flag and unmount), so every thread blocked in a read returns.</param>
    public FuseRequestLoop(nint session, int maxThreads, Action stop)
    {
        _session = session;
        _maxThreads = Math.Max(2, maxThreads);
        _stop = stop;
    }

    /// <summary>Serves on the calling thread until the session ends; 0, or a negative errno of a failed read.</summary>
    public int Run()
    {
        var primary = new LoopWorker(this);
        _workers.Add(primary);
        var guard = new Thread(Guard) { IsBackground = true, Name = "fuse-guard" };
        guard.Start();
        try
        {
            primary.Serve(untilUnstuck: null);
        }
        finally
        {
            _done = true;
            if (_error != 0)
                _stop();
            _guardWake.Release();
            guard.Join();
            LoopWorker[] rescuers;
            lock (_workers) rescuers = [.. _workers.Skip(1)];
            // A rescuer still blocked in a read returns only when the connection ends.
            if (rescuers.Any(r => r.IsServing))
                _stop();
            foreach (var rescuer in rescuers)
                rescuer.Finish();
        }
        return _error;
    }

    internal nint Session => _session;

    internal bool Done => _done;

    /// <summary>Called by a worker before each request: wakes the guard if it went to sleep while the mount was idle.</summary>
    internal void Started()
    {
        // A full fence (not a volatile write): a plain store may still sit in this core's store buffer when the
        // flag is read below, while the guard sets the flag and reads the old time (Dekker), so both would miss
        // each other and the guard would park through a request that may block for good.
        Interlocked.Exchange(ref _lastStart, Stopwatch.GetTimestamp());
        if (Volatile.Read(ref _guardParked) != 0 && Interlocked.Exchange(ref _guardParked, 0) != 0)
            _guardWake.Release();
    }

    /// <summary>A read failed for a reason other than the end of the session: stop serving.</summary>
    internal void Failed(int errno)
    {
        Interlocked.CompareExchange(ref _error, errno, 0);
        _done = true;
    }

    private void Guard()
    {
        while (!_done)
        {
            if (Stopwatch.GetTimestamp() - Volatile.Read(ref _lastStart) > IdleAfterTicks && !AnyInRequest())
            {
                Volatile.Write(ref _guardParked, 1);
                Interlocked.MemoryBarrier();
                // A request that started after the test above may not have seen the flag: keep watching then.
                if (Stopwatch.GetTimestamp() - Volatile.Read(ref _lastStart) > IdleAfterTicks || Interlocked.Exchange(ref _guardParked, 0) == 0)
                    _guardWake.Wait();
                continue;
            }
            Thread.Sleep(StallCheck);
            if (!_done && AllStuck())
                Rescue();
        }
    }

    private bool AnyInRequest()
    {
        lock (_workers)
            return _workers.Any(w => w.InRequest);
    }

    /// <summary>True when every serving thread is inside the request it was in at the previous look.</summary>
    private bool AllStuck()
    {
        var stuck = true;
        lock (_workers)
            foreach (var worker in _workers)
                if (worker.IsServing)
                    stuck &= worker.StuckSinceLastLook();
        return stuck;
    }

    private void Rescue()
    {
        LoopWorker? worker;
        lock (_workers)
        {
            worker = _workers.FirstOrDefault(w => !w.IsServing);
            if (worker == null && _workers.Count < _maxThreads)
                _workers.Add(worker = new LoopWorker(this));
        }
        if (worker == null)
            return;
        worker.Engage(() => !AllOthersStuck(worker));
    }

    private bool AllOthersStuck(LoopWorker self)
    {
        lock (_workers)
            return _workers.All(w => ReferenceEquals(w, self) || !w.IsServing || w.InRequest);
    }
}
