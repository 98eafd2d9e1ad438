using System.Diagnostics;

namespace StashMount.Mount.Restore;

/// <summary>
/// Counts restored bytes and, when stderr is a terminal, rewrites one status line there once a second. When
/// stderr is a file or pipe nothing is printed, so logs stay clean.
/// </summary>
public sealed class RestoreProgress : IDisposable
{
    private readonly TextWriter? _terminal;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private long _bytes;

    public RestoreProgress(TextWriter standardError, bool isTerminal)
    {
        if (!isTerminal)
            return;
        _terminal = standardError;
        _timer = new Timer(_ => Print(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public long TotalBytes { get; set; }

    public int TotalFiles { get; set; }

    public long Bytes => Interlocked.Read(ref _bytes);

    public void AddBytes(long count) => Interlocked.Add(ref _bytes, count);

    private void Print()
    {
        var percent = TotalBytes == 0 ? 100 : 100.0 * Bytes / TotalBytes;
        lock (_terminal!)
        {
            _terminal.Write($"\r[{_clock.Elapsed:hh\\:mm\\:ss}] {percent,5:0.0}%  {Bytes / 1048576.0:0.0} MiB / {TotalBytes / 1048576.0:0.0} MiB, {TotalFiles} files   ");
            _terminal.Flush();
        }
    }

    public void Dispose()
    {
        if (_timer is null)
            return;
        _timer.Dispose();
        lock (_terminal!)
        {
            _terminal.Write("\r\u001b[K");
            _terminal.Flush();
        }
    }
}
