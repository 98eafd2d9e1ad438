using System.Runtime.CompilerServices;

namespace StashMount.Mount.Restore;

/// <summary>
/// Ranges waiting for the readers, in two lines: ranges of many small blobs (each a small file to create, and creates in
/// one directory wait on its lock one after another, so a second reader on them mostly spins) and the rest. A reader
/// takes from the small line only when no other reader works on one, unless nothing else waits: one core then creates
/// the small files while the other decrypts and writes the big ones, instead of all big ranges first and then every
/// reader queueing on one directory.
/// </summary>
public sealed class RangeQueue
{
    /// <summary>A range with this many blobs or more goes to the small line (a 4 MiB range of ~1 MiB chunks has a handful).</summary>
    public const int ManyBlobs = 16;

    private readonly Lock _lock = new();
    private readonly Queue<RangeDelivery> _small = new();
    private readonly Queue<RangeDelivery> _other = new();
    private readonly SemaphoreSlim _queued = new(0);
    private bool _completed;
    private int _smallInProgress;

    public static bool IsSmall(RangeDelivery range) => range.Range.Blobs.Count >= ManyBlobs;

    public void Add(RangeDelivery range)
    {
        lock (_lock)
            (IsSmall(range) ? _small : _other).Enqueue(range);
        _queued.Release();
    }

    /// <summary>No more ranges: the readers stop once the queued ones are taken.</summary>
    public void Complete()
    {
        lock (_lock)
            _completed = true;
        _queued.Release();
    }

    /// <summary>The ranges in the order the readers should take them; the reader calls <see cref="Done"/> after each.</summary>
    public async IAsyncEnumerable<RangeDelivery> TakeAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            await _queued.WaitAsync(cancellationToken).ConfigureAwait(false);
            RangeDelivery? next;
            lock (_lock)
            {
                var takeSmall = _small.Count > 0 && (_smallInProgress == 0 || _other.Count == 0);
                next = takeSmall ? _small.Dequeue() : _other.Count > 0 ? _other.Dequeue() : null;
                if (takeSmall)
                    _smallInProgress++;
                if (next is null && !_completed)
                    throw new InvalidOperationException("a range queue was woken with nothing queued");
            }
            if (next is null)
            {
                _queued.Release(); // the completion stays visible to any other taker
                yield break;
            }
            yield return next;
        }
    }

    public void Done(RangeDelivery range)
    {
        if (IsSmall(range))
            lock (_lock)
                _smallInProgress--;
    }
}
