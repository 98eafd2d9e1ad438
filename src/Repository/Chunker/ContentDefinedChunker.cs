namespace StashMount.Repository.Chunker;

/// <summary>
/// restic's content-defined chunker: cuts where the Rabin fingerprint of the last 64 bytes has its low 20
/// bits zero, never before 512 KiB and always at 8 MiB, giving restic's boundaries bit for bit.
/// </summary>
/// <remarks>
/// Once a cut is allowed, restic's rolling digest is exactly the fingerprint of the last 64 bytes, whatever
/// came before. That makes the search position-independent, so it runs as eight interleaved lanes over
/// consecutive stretches (<see cref="RabinLaneScan"/>): independent dependency chains instead of one latency-bound chain. The first
/// 512 KiB − 64 bytes of each chunk are never hashed, as in restic. Stateless and thread-safe.
/// </remarks>
public sealed class ContentDefinedChunker
{
    public const int MinSize = 512 * 1024;
    public const int MaxSize = 8 * 1024 * 1024;
    internal const ulong SplitMask = (1UL << 20) - 1;
    private const int Window = RabinTables.WindowSize;

    private readonly RabinTables _tables;

    public ContentDefinedChunker(ulong polynomial) => _tables = RabinTables.For(polynomial);

    public ulong Polynomial => _tables.PolynomialValue;

    /// <summary>
    /// The length of the chunk that starts at <paramref name="data"/>[0]. <paramref name="data"/> must hold at
    /// least <see cref="MaxSize"/> bytes unless it reaches the end of the input (<paramref name="endOfInput"/>);
    /// then the rest is the last chunk.
    /// </summary>
    public int NextChunkLength(ReadOnlySpan<byte> data, bool endOfInput)
    {
        if (!endOfInput && data.Length < MaxSize)
            throw new ArgumentException("the chunker needs MaxSize bytes of look-ahead before the end of input", nameof(data));
        if (data.Length <= MinSize)
            return data.Length;
        var limit = Math.Min(data.Length, MaxSize);
        var cut = FindCut(data[..limit], FirstCutCandidate);
        return cut >= 0 ? cut : limit;
    }

    /// <summary>The first position p with a cut allowed after it: p + 1 = <see cref="MinSize"/>.</summary>
    public const int FirstCutCandidate = MinSize - 1;

    /// <summary>
    /// Searches positions <paramref name="from"/> … data.Length − 1 of a chunk that starts at <paramref name="data"/>[0]
    /// and returns the chunk length if restic cuts there (a position p cuts the chunk to p + 1 bytes), else −1.
    /// The search can go on later from data.Length over more data: the result does not depend on how the
    /// positions are split into calls. <paramref name="from"/> must be at least <see cref="FirstCutCandidate"/>;
    /// the caller stops at <see cref="MaxSize"/>.
    /// </summary>
    public int FindCut(ReadOnlySpan<byte> data, int from)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, FirstCutCandidate);
        if (from >= data.Length)
            return -1;
        var p = FindFirstCandidate(data, from, data.Length);
        return p >= 0 ? p + 1 : -1;
    }

    private unsafe int FindFirstCandidate(ReadOnlySpan<byte> data, int from, int to)
    {
        fixed (byte* basePtr = data)
        fixed (ulong* table = _tables.OutThenReduce)
        {
            ulong* outTab = table, modTab = table + 256;
            var shift = _tables.Shift;
            var p = from;
            while (to - p >= RabinLaneScan.BlockLength)
            {
                var hit = RabinLaneScan.Scan(basePtr + p, table, shift);
                if (hit >= 0)
                    return p + hit;
                p += RabinLaneScan.BlockLength;
            }
            if (p < to)
            {
                var hit = ScanOne(basePtr + p, to - p, outTab, modTab, shift);
                if (hit >= 0)
                    return p + hit;
            }
            return -1;
        }
    }

    private static unsafe int ScanOne(byte* start, int length, ulong* outTab, ulong* modTab, int shift)
    {
        var d = RabinLaneScan.Warm(start, modTab, shift);
        for (var i = 0; i < length; i++)
        {
            d ^= outTab[start[i - Window]];
            d = ((d << 8) | start[i]) ^ modTab[d >> shift];
            if ((d & SplitMask) == 0)
                return i;
        }
        return -1;
    }
}
