using StashMount.Backends;
using StashMount.Repository.Trees;

namespace StashMount.Repository.Locks;

/// <summary>
/// A lock file held in the repository the way restic holds one: non-exclusive for backup, mount and reads,
/// exclusive for deletions. It is re-written every 5 minutes (new file, then the old one removed) so that
/// others never see it as stale, and removed on dispose.
/// </summary>
public sealed class RepositoryLock : IAsyncDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RecheckDelay = TimeSpan.FromMilliseconds(200);

    private readonly ResticRepository _repository;
    private readonly bool _exclusive;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _fileLock = new(1, 1);
    private Task _refresher = Task.CompletedTask;

    private RepositoryLock(ResticRepository repository, bool exclusive, ObjectId id)
    {
        _repository = repository;
        _exclusive = exclusive;
        Id = id;
    }

    /// <summary>The current lock file's ID (it changes on every refresh).</summary>
    public ObjectId Id { get; private set; }

    /// <summary>
    /// Takes the lock, retrying for up to <paramref name="retryFor"/> (restic's --retry-lock: waits of 5 s, doubling
    /// up to 60 s) while another process holds a conflicting lock; then throws <see cref="LockConflictException"/>.
    /// </summary>
    public static async Task<RepositoryLock> AcquireAsync(ResticRepository repository, bool exclusive, TimeSpan retryFor = default,
        CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + retryFor;
        var wait = TimeSpan.FromSeconds(5);
        while (true)
        {
            try
            {
                var held = await TryAcquireOnceAsync(repository, exclusive, cancellationToken).ConfigureAwait(false);
                held._refresher = held.RefreshLoopAsync();
                return held;
            }
            catch (LockConflictException) when (DateTime.UtcNow + wait <= deadline)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }

    private static async Task<RepositoryLock> TryAcquireOnceAsync(ResticRepository repository, bool exclusive, CancellationToken cancellationToken)
    {
        await ThrowOnConflictAsync(repository, exclusive, null, cancellationToken).ConfigureAwait(false);
        var id = await WriteLockFileAsync(repository, exclusive, cancellationToken).ConfigureAwait(false);
        try
        {
            // Two processes may have checked at the same moment; the second look settles it, as in restic.
            await Task.Delay(RecheckDelay, cancellationToken).ConfigureAwait(false);
            await ThrowOnConflictAsync(repository, exclusive, id, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await repository.Backend.RemoveAsync(Handle(id), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return new RepositoryLock(repository, exclusive, id);
    }

    private static async Task ThrowOnConflictAsync(ResticRepository repository, bool exclusive, ObjectId? own, CancellationToken cancellationToken)
    {
        await foreach (var file in repository.Backend.ListAsync(FileType.Lock, cancellationToken).ConfigureAwait(false))
        {
            if (file.Size == 0 || !ObjectId.TryParse(file.Name, out var id) || id == own)
                continue; // 0-byte files are interrupted uploads (restic 0.16+ ignores them too)
            LockInfo info;
            try
            {
                info = LockInfo.Parse(await repository.LoadUnpackedAsync(Handle(id), cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is BackendFileNotFoundException or RepositoryException or System.Text.Json.JsonException or FormatException)
            {
                continue; // removed meanwhile, or unreadable: restic 0.14 ignores such locks as well
            }
            if (exclusive || info.Exclusive)
                throw new LockConflictException(info, file.Name);
        }
    }

    private static async Task<ObjectId> WriteLockFileAsync(ResticRepository repository, bool exclusive, CancellationToken cancellationToken)
    {
        var info = new LockInfo(GoTime.Now(), exclusive, Environment.MachineName, Environment.UserName, Environment.ProcessId,
            PosixProcess.Uid, PosixProcess.Gid);
        return await repository.SaveUnpackedAsync(FileType.Lock, info.Serialize(), cancellationToken).ConfigureAwait(false);
    }

    private static FileHandle Handle(ObjectId id) => new(FileType.Lock, id.ToString());

    private async Task RefreshLoopAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(RefreshInterval, _stop.Token).ConfigureAwait(false);
                await RefreshAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is BackendException or RepositoryException)
        {
            // The next refresh may succeed; a lock that stays unrefreshed for 30 minutes just looks stale to others.
            if (!_stop.IsCancellationRequested)
                _refresher = RefreshLoopAsync();
        }
    }

    /// <summary>Writes a fresh lock file, then removes the previous one.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _fileLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = Id;
            Id = await WriteLockFileAsync(_repository, _exclusive, cancellationToken).ConfigureAwait(false);
            await _repository.Backend.RemoveAsync(Handle(old), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _fileLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _refresher.ConfigureAwait(false); } catch (OperationCanceledException) { }
        await _fileLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _repository.Backend.RemoveAsync(Handle(Id), CancellationToken.None).ConfigureAwait(false);
        }
        catch (BackendException)
        {
            // Left behind, the lock turns stale and `restic unlock` removes it.
        }
        finally
        {
            _fileLock.Release();
            _stop.Dispose();
        }
    }
}
