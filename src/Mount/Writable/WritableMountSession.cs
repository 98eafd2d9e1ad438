using StashMount.Repository;

namespace StashMount.Mount.Writable;

/// <summary>
/// The write side of one <c>mount --write</c> run: the spool, the idle-commit loop and the control socket for
/// <c>stashmount commit</c>; at the end, a last commit once the file system is unmounted.
/// </summary>
internal sealed class WritableMountSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string> _log;
    private ControlServer? _control;
    private Task _idle = Task.CompletedTask;

    private WritableMountSession(WriteSpool spool, Action<string> log)
    {
        Spool = spool;
        _log = log;
    }

    public WriteSpool Spool { get; }

    public static async Task<WritableMountSession> OpenAsync(ResticRepository repository, WriteSpoolOptions options, CancellationToken cancellationToken)
    {
        var spool = await WriteSpool.OpenAsync(repository, options, cancellationToken).ConfigureAwait(false);
        return new WritableMountSession(spool, options.Log);
    }

    /// <summary>Once mounted: commits on request and when idle; <paramref name="refresh"/> shows each new snapshot at once.</summary>
    public void Start(string mountPoint, Func<CancellationToken, Task> refresh)
    {
        Spool.Committed = (_, cancellationToken) => refresh(cancellationToken);
        _control = ControlServer.Start(ControlSocket.PathFor(mountPoint), ct => Spool.CommitAsync(stopping: false, ct), _log);
        _idle = Spool.RunIdleCommitsAsync(_stop.Token);
    }

    /// <summary>
    /// After the unmount: the final commit. False when it failed; the files then stay in the spool and the next
    /// <c>mount --write</c> with the same spool commits them.
    /// </summary>
    public async Task<bool> CommitAtExitAsync()
    {
        await StopBackgroundAsync().ConfigureAwait(false);
        try
        {
            await Spool.CommitAsync(stopping: true, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            _log($"commit at unmount failed: {e.Message.ReplaceLineEndings(" ")}; the files stay in {Spool.SpoolPath} " +
                 "and are committed by the next 'mount --write' with this spool");
            return false;
        }
    }

    private async Task StopBackgroundAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _idle.ConfigureAwait(false);
        if (_control is { } control)
            await control.DisposeAsync().ConfigureAwait(false);
        _control = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopBackgroundAsync().ConfigureAwait(false);
        await Spool.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
