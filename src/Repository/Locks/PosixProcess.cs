using System.Runtime.InteropServices;

namespace StashMount.Repository.Locks;

/// <summary>The few libc process facts a lock file records or checks (not exposed by .NET).</summary>
public static partial class PosixProcess
{
    private const int EPERM = 1;

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    private static partial uint GetGid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static uint Uid => GetUid();

    public static uint Gid => GetGid();

    /// <summary>Signal 0 probes a process without touching it; EPERM still means it exists.</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0)
            return false;
        return Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == EPERM;
    }
}
