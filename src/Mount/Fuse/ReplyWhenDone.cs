namespace StashMount.Mount.Fuse;

/// <summary>Arranges the one reply to a request whose answer may still be pending (kept out of unsafe code: it awaits).</summary>
internal static class ReplyWhenDone
{
    /// <summary>Replies now if the task is already done (the common, cached case), else when it completes.</summary>
    public static void Run<T>(FuseSession session, nint req, ValueTask<T> task, Action<FuseSession, nint, T> reply)
    {
        if (task.IsCompletedSuccessfully)
        {
            reply(session, req, task.Result);
            return;
        }
        _ = WhenCompletedAsync(session, req, task, reply);
    }

    /// <summary>The same for an operation without a result (its reply is usually success, errno 0).</summary>
    public static void Run(FuseSession session, nint req, ValueTask task, Action<FuseSession, nint> reply)
    {
        if (task.IsCompletedSuccessfully)
        {
            reply(session, req);
            return;
        }
        _ = WhenCompletedAsync(session, req, task, reply);
    }

    private static async Task WhenCompletedAsync(FuseSession session, nint req, ValueTask task, Action<FuseSession, nint> reply)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            FuseReplies.Error(session, req, e);
            return;
        }
        reply(session, req);
    }

    private static async Task WhenCompletedAsync<T>(FuseSession session, nint req, ValueTask<T> task, Action<FuseSession, nint, T> reply)
    {
        T value;
        try
        {
            value = await task.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            FuseReplies.Error(session, req, e);
            return;
        }
        reply(session, req, value);
    }
}
