using System.Runtime.InteropServices;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// One thread of <see cref="FuseRequestLoop"/> reading requests from /dev/fuse (blocking) and running their
/// callbacks: the primary for the whole session, a rescuer only while every other serving thread is stuck.
/// </summary>
internal sealed unsafe class LoopWorker
{
    private readonly FuseRequestLoop _loop;
    private readonly SemaphoreSlim _wake = new(0);
    private Thread? _thread;
    private Func<bool>? _untilUnstuck;
    private long _started;
    private long _seen = -1;
    private volatile bool _inRequest;
    private volatile bool _serving;

    public LoopWorker(FuseRequestLoop loop) => _loop = loop;

    public bool InRequest => _inRequest;

    public bool IsServing => _serving;

    /// <summary>Inside the same request as at the previous call (called by the guard only).</summary>
    public bool StuckSinceLastLook()
    {
        var started = Volatile.Read(ref _started);
        var stuck = _inRequest && started == _seen;
        _seen = started;
        return stuck;
    }

    /// <summary>Serves requests until the session ends, or (a rescuer) until <paramref name="untilUnstuck"/> says another thread can read again.</summary>
    public void Serve(Func<bool>? untilUnstuck)
    {
        _serving = true;
        var buffer = (FuseBuffer*)NativeMemory.AllocZeroed((nuint)sizeof(FuseBuffer));
        try
        {
            while (!_loop.Done)
            {
                var rc = LibFuse.fuse_session_receive_buf(_loop.Session, buffer);
                if (rc > 0)
                {
                    _loop.Started();
                    Volatile.Write(ref _started, _started + 1);
                    _inRequest = true;
                    LibFuse.fuse_session_process_buf(_loop.Session, buffer);
                    _inRequest = false;
                    if (untilUnstuck != null && untilUnstuck())
                        break;
                }
                else if (rc == 0)
                    break; // the session ended (unmounted, or its exit flag is set)
                else if (rc != -Errno.EINTR && rc != -Errno.EAGAIN)
                {
                    _loop.Failed(rc);
                    break;
                }
            }
        }
        finally
        {
            if (buffer->Memory != null)
                LibC.free(buffer->Memory);
            NativeMemory.Free(buffer);
            _serving = false;
        }
    }

    /// <summary>Sends this (rescuer) thread reading until <paramref name="untilUnstuck"/> turns true.</summary>
    public void Engage(Func<bool> untilUnstuck)
    {
        _untilUnstuck = untilUnstuck;
        _serving = true;
        if (_thread == null)
        {
            _thread = new Thread(Rescuing) { IsBackground = true, Name = "fuse-rescuer" };
            _thread.Start();
        }
        else
            _wake.Release();
    }

    private void Rescuing()
    {
        while (!_loop.Done)
        {
            Serve(_untilUnstuck);
            if (_loop.Done)
                break;
            _wake.Wait();
        }
    }

    /// <summary>Lets a parked rescuer see the end of the session and waits for its thread.</summary>
    public void Finish()
    {
        _wake.Release();
        _thread?.Join();
    }
}
