namespace StashMount.Mount.Writable;

/// <summary>
/// An async shared/exclusive gate with exclusive preference: any number of shared holders (file system changes,
/// ingestions) run together; an exclusive holder (a commit) waits for them to leave and keeps new ones waiting
/// until it is done. .NET has no async reader-writer lock, hence this small one.
/// </summary>
internal sealed class ChangeGate
{
    // An exclusive holder keeps the turnstile; shared holders only pass through it, so they queue behind a waiting commit.
    private readonly SemaphoreSlim _turnstile = new(1, 1);
    private readonly SemaphoreSlim _roomEmpty = new(1, 1);
    private readonly SemaphoreSlim _sharedEntry = new(1, 1);
    private int _shared;

    public async ValueTask<IDisposable> EnterSharedAsync(CancellationToken cancellationToken)
    {
        await _turnstile.WaitAsync(cancellationToken).ConfigureAwait(false);
        _turnstile.Release();
        await _sharedEntry.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Interlocked.Increment(ref _shared) == 1)
            {
                try
                {
                    await _roomEmpty.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    Interlocked.Decrement(ref _shared);
                    throw;
                }
            }
        }
        finally
        {
            _sharedEntry.Release();
        }
        return new Scope(this, exclusive: false);
    }

    public async ValueTask<IDisposable> EnterExclusiveAsync(CancellationToken cancellationToken)
    {
        await _turnstile.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _roomEmpty.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _turnstile.Release();
            throw;
        }
        return new Scope(this, exclusive: true);
    }

    private void Leave(bool exclusive)
    {
        if (exclusive)
        {
            _roomEmpty.Release();
            _turnstile.Release();
        }
        else if (Interlocked.Decrement(ref _shared) == 0)
        {
            _roomEmpty.Release();
        }
    }

    private sealed class Scope(ChangeGate gate, bool exclusive) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
                gate.Leave(exclusive);
        }
    }
}
