using System.Runtime.InteropServices;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// One thread of <see cref="FuseRequestLoop"/> reading requests from /dev/fuse (blocking) and running their
/// callbacks: the primary for the whole session, a rescuer only while every other serving thread is stuck.
/// </summary>
internal sealed unsafe class LoopWorker
{
    /// <summary>The most data one WRITE carries; the init callback keeps max_write there, which bounds libfuse's reads.</summary>
    internal const int MaxWriteBytes = 1 << 20;

    // Requests are read to where a WRITE's data (after fuse_in_header and fuse_write_in, 40 bytes each) starts on a
    // page boundary. Writing them to the spool with O_DIRECT straight from here was tried and dropped: at idle each
    // 1 MiB write then waited for the disk (cp -a of 1 GiB into new/ 2.7 -> 4.6 s). libfuse reads into a buffer the caller provides as it is; it
    // reads at most max_write plus its 4 KiB header allowance, and this holds twice that.
    private const int Page = 4096;
    private const int WriteDataOffset = 80;
    private const int BufferBytes = 2 * (MaxWriteBytes + Page);

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
        var block = (byte*)NativeMemory.AlignedAlloc(BufferBytes + Page, Page);
        buffer->Memory = block + Page - WriteDataOffset;
        buffer->MemorySize = BufferBytes;
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
            if (buffer->Memory != block + Page - WriteDataOffset && buffer->Memory != null)
                LibC.free(buffer->Memory); // libfuse replaced it (it never does with a buffer given)
            NativeMemory.AlignedFree(block);
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
