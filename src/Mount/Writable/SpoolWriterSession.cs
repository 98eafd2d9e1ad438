using StashMount.Repository;
using StashMount.Repository.Archiver;
using StashMount.Repository.Locks;
using StashMount.Repository.Writer;

namespace StashMount.Mount.Writable;

/// <summary>
/// The repository writer the spool is currently filling, with the non-exclusive lock that covers it. Created on
/// the first ingestion, spent by a commit (its flush) and dropped after a failure.
/// </summary>
/// <remarks>
/// The writer works on its own instance of the repository: a writer adds each uploaded pack to the in-memory index
/// before that pack's index file is written, so after a failed writer the index would claim blobs no index file
/// names, and a later snapshot could refer to them. A failure discards that instance; the next one loads the
/// index from the repository again. The mount's instance only ever sees index files that were written.
/// </remarks>
internal sealed class SpoolWriterSession(ResticRepository repository, WriteSpoolOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ResticRepository? _writing;
    private RepositoryLock? _lock;
    private RepositoryWriter? _writer;
    private DirectoryArchiver? _archiver;
    private volatile Tuple<RepositoryWriter, ResticRepository>? _current;

    /// <summary>The writer being filled and its repository, if there is one now (no waiting, no lock taken).</summary>
    public (RepositoryWriter Writer, ResticRepository Repository)? Current => _current is { } c ? (c.Item1, c.Item2) : null;

    public async Task<(RepositoryWriter Writer, DirectoryArchiver Archiver, ResticRepository Repository)> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writing is null)
            {
                var fresh = ResticRepository.FromKey(repository.Backend, repository.Config, repository.Key);
                await fresh.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
                _writing = fresh;
            }
            if (_writer is null || _archiver is null)
            {
                _lock ??= options.NoLock ? null : await RepositoryLock.AcquireAsync(repository, exclusive: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                _writer = new RepositoryWriter(_writing, options.Writer);
                _archiver = new DirectoryArchiver(_writing, _writer);
                _current = Tuple.Create(_writer, _writing);
            }
            return (_writer, _archiver, _writing);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Disposes the writer and releases the lock. <paramref name="failed"/>: the writer did not flush, so the
    /// in-memory index it touched is thrown away with it.
    /// </summary>
    public async Task DropAsync(bool failed)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _current = null;
            if (_writer is { } writer)
                await writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
            _archiver = null;
            if (failed)
                _writing = null;
            if (_lock is { } held)
                await held.DisposeAsync().ConfigureAwait(false);
            _lock = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Unflushed blobs are abandoned: their files are still in the spool and are read again by the next commit.
        await DropAsync(failed: true).ConfigureAwait(false);
        _gate.Dispose();
    }
}
