using System.Diagnostics;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Fuse;

/// <summary>
/// Detaches a FUSE mount: umount2(MNT_DETACH) as root, else the setuid fusermount3 -u -z. Detaching makes the
/// kernel abort the connection, which is what wakes libfuse's workers (fuse_session_exit alone does not).
/// </summary>
internal static unsafe class Unmounter
{
    public static void DetachLazily(string mountPoint)
    {
        if (Environment.IsPrivilegedProcess)
        {
            using var path = new Utf8Z(mountPoint);
            fixed (byte* p = path.Bytes)
                if (LibC.umount2(p, LibC.MNT_DETACH) == 0)
                    return;
        }
        try
        {
            using var process = Process.Start(new ProcessStartInfo("fusermount3", ["-u", "-z", mountPoint])
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
            process?.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // fusermount3 missing: nothing else can be done from here.
        }
    }
}
