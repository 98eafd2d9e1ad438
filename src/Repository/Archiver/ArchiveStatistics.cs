namespace StashMount.Repository.Archiver;

/// <summary>Counters of one backup run, named as in restic's summary.</summary>
public sealed class ArchiveStatistics
{
    private long _filesNew, _filesChanged, _filesUnmodified, _dirsNew, _dirsChanged, _dirsUnmodified, _bytes, _errors;

    public long FilesNew => Interlocked.Read(ref _filesNew);
    public long FilesChanged => Interlocked.Read(ref _filesChanged);
    public long FilesUnmodified => Interlocked.Read(ref _filesUnmodified);
    public long DirsNew => Interlocked.Read(ref _dirsNew);
    public long DirsChanged => Interlocked.Read(ref _dirsChanged);
    public long DirsUnmodified => Interlocked.Read(ref _dirsUnmodified);
    public long TotalFilesProcessed => FilesNew + FilesChanged + FilesUnmodified;
    public long TotalBytesProcessed => Interlocked.Read(ref _bytes);
    /// <summary>Entries that could not be read and were left out.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    internal void File(ChangeKind kind, long bytes)
    {
        Interlocked.Increment(ref kind == ChangeKind.New ? ref _filesNew : ref kind == ChangeKind.Changed ? ref _filesChanged : ref _filesUnmodified);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void Directory(ChangeKind kind) =>
        Interlocked.Increment(ref kind == ChangeKind.New ? ref _dirsNew : ref kind == ChangeKind.Changed ? ref _dirsChanged : ref _dirsUnmodified);

    internal void Error() => Interlocked.Increment(ref _errors);

    internal enum ChangeKind { New, Changed, Unmodified }
}
