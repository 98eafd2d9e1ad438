namespace StashMount.Mount.Restore;

/// <summary>Collects per-item failures: each is one stderr line naming the path; the restore goes on with the rest.</summary>
public sealed class RestoreErrors(TextWriter standardError)
{
    private readonly Lock _lock = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Report(RestoreItem item, string message)
    {
        lock (_lock)
        {
            if (item.Failed)
                return;
            item.Failed = true;
            _count++;
            standardError.WriteLine($"ignoring error for {item.SnapshotPath}: {message.ReplaceLineEndings(" ")}");
            standardError.Flush();
        }
    }

    /// <summary>A failure of a metadata step: reported, but it does not hide other items' errors.</summary>
    public void ReportMetadata(RestoreItem item, string what, int errno) =>
        Report(item, $"{what}: {PosixCalls.Describe(errno)}");
}
