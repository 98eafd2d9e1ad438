namespace StashMount.Repository;

/// <summary>
/// Keeps a few released <see cref="PageBuffer"/>s for reuse, so a run that fills buffer after buffer of the same
/// size (packs) maps and populates its pages once. Capacities are rounded up to whole huge pages (2 MiB), so near
/// sizes share buffers and every buffer can be backed by huge pages (<see cref="PageBuffer"/>); at most
/// <see cref="Retained"/> buffers are kept, the rest are unmapped at once.
/// </summary>
public static class PageBufferPool
{
    private const int Retained = 3;
    private const int Granule = AnonymousPages.HugePageSize;
    private static readonly List<PageBuffer> Free = [];

    /// <summary>
    /// A buffer of at least <paramref name="minimumCapacity"/> bytes; give it back with <see cref="Return"/>. A new one
    /// has its first <paramref name="populated"/> bytes populated at once, the rest as it is written (see <see cref="PageBuffer(int, int)"/>).
    /// </summary>
    public static PageBuffer Rent(int minimumCapacity, int populated = int.MaxValue)
    {
        lock (Free)
        {
            var best = -1;
            for (var i = 0; i < Free.Count; i++)
                if (Free[i].Capacity >= minimumCapacity && (best < 0 || Free[i].Capacity < Free[best].Capacity))
                    best = i;
            if (best >= 0)
            {
                var buffer = Free[best];
                Free.RemoveAt(best);
                return buffer;
            }
        }
        var rounded = (int)Math.Min(int.MaxValue & ~(Granule - 1), ((long)Math.Max(minimumCapacity, 1) + Granule - 1) & ~(long)(Granule - 1));
        var capacity = Math.Max(rounded, minimumCapacity);
        return new PageBuffer(capacity, Math.Min(populated, capacity));
    }

    public static void Return(PageBuffer buffer)
    {
        lock (Free)
        {
            if (Free.Count < Retained)
            {
                Free.Add(buffer);
                return;
            }
        }
        ((IDisposable)buffer).Dispose();
    }
}
