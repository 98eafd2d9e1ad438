using System.Diagnostics;
using System.Text;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Mount;

/// <summary>
/// A running <c>stashmount mount</c> child process. Started, then waited for until the mountpoint is mounted;
/// disposing stops it (SIGTERM, then kill) and force-unmounts whatever is left, so a failed test leaves nothing behind.
/// </summary>
internal sealed class MountProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private MountProcess(Process process, string mountPoint)
    {
        _process = process;
        MountPoint = mountPoint;
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public string MountPoint { get; }

    public string Output { get { lock (_stderr) return _stderr.ToString(); } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    public static Process Launch(ResticCli restic, string[] arguments)
    {
        var info = new ProcessStartInfo(RepositoryPaths.StashMountBinary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in restic.Environment())
        {
            if (v is null) info.Environment.Remove(k);
            else info.Environment[k] = v;
        }
        // Mounts of remote storage keep a disk cache under $XDG_CACHE_HOME: in tests, under the temp folder, not in ~.
        if (!info.Environment.ContainsKey("XDG_CACHE_HOME"))
            info.Environment["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "stashmount-test-cache");
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start stashmount");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Starts the mount and waits until it serves; a mount that never comes up fails the test (also in CI).</summary>
    public static async Task<MountProcess> StartAsync(ResticCli restic, string mountPoint, params string[] extra)
    {
        var mount = new MountProcess(Launch(restic, ["mount", mountPoint, .. extra]), mountPoint);
        var up = await FuseMounts.WaitUntilAsync(() => mount.HasExited || FuseMounts.IsMounted(mountPoint), TimeSpan.FromMinutes(2));
        if (!up || mount.HasExited)
        {
            var output = mount.Output;
            await mount.DisposeAsync();
            throw new InvalidOperationException($"stashmount mount did not come up (exit {(mount.HasExited ? mount.ExitCode : -1)}): {output}");
        }
        return mount;
    }

    public void Signal(int signal) => Kill(_process.Id, signal);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(15);
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(30)))
                try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        FuseMounts.ForceUnmount(MountPoint);
        _process.Dispose();
    }
}
