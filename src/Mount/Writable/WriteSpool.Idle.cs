namespace StashMount.Mount.Writable;

public sealed partial class WriteSpool
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Commits whenever <c>new/</c> has something, has been idle for <see cref="WriteSpoolOptions.CommitAfter"/> and
    /// no file is open for writing; a failed commit (backend unreachable, repository locked) is retried after 5 s,
    /// doubling up to 5 min, with the data kept in the spool meanwhile. Runs until cancelled.
    /// </summary>
    public async Task RunIdleCommitsAsync(CancellationToken cancellationToken)
    {
        var retryAt = DateTime.MinValue;
        var backoff = TimeSpan.Zero;
        using var timer = new PeriodicTimer(IdlePoll);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = DateTime.UtcNow;
                var due = backoff > TimeSpan.Zero ? now >= retryAt : now - LastChangeUtc >= _options.CommitAfter;
                if (!due || OpenFileCount > 0 || _directory.TreeIsEmpty())
                    continue;
                try
                {
                    await CommitAsync(stopping: false, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.Zero;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    backoff = backoff == TimeSpan.Zero ? FirstRetry : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestRetry.Ticks));
                    retryAt = DateTime.UtcNow + backoff;
                    _options.Log($"commit failed, the files stay in the spool (retrying in {backoff.TotalSeconds:0}s): {e.Message.ReplaceLineEndings(" ")}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
