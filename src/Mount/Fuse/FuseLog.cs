using System.Text;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// Receives libfuse's log messages (which would otherwise go straight to stderr) so a failed mount can be reported
/// as one line and the rest goes to our log. libfuse has one process-wide log function.
/// </summary>
internal static unsafe class FuseLog
{
    private static Action<string> _sink = _ => { };
    private static int _attached;

    [ThreadStatic]
    private static string? _lastOnThisThread;

    [ThreadStatic]
    private static bool _capturing;

    /// <summary>While set, messages on this thread are only kept for <see cref="LastMessage"/> (they become the mount error).</summary>
    public static bool Capturing { get => _capturing; set => _capturing = value; }

    /// <summary>The last message libfuse logged on the calling thread (mount errors are logged on the mounting thread).</summary>
    public static string? LastMessage => _lastOnThisThread;

    public static void Attach(Action<string> sink)
    {
        _sink = sink;
        _lastOnThisThread = null;
        if (Interlocked.Exchange(ref _attached, 1) == 0)
            LibFuse.fuse_set_log_func(&OnLog);
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static void OnLog(int level, byte* format, nint args)
    {
        try
        {
            const int size = 1024;
            var buffer = stackalloc byte[size];
            var n = LibC.vsnprintf(buffer, size, format, args);
            var text = Encoding.UTF8.GetString(buffer, Math.Clamp(n, 0, size - 1)).Trim();
            if (text.StartsWith("fuse: ", StringComparison.Ordinal)) text = text[6..];
            _lastOnThisThread = text;
            const int debugLevel = 7;
            if (level < debugLevel && !_capturing)
                _sink("fuse: " + text);
        }
        catch (Exception)
        {
            // Logging must never take the process down.
        }
    }
}
