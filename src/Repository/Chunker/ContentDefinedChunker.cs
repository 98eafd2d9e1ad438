using System.Runtime.CompilerServices;

namespace StashMount.Repository.Chunker;

/// <summary>
/// restic's content-defined chunker: cuts where the Rabin fingerprint of the last 64 bytes has its low 20
/// bits zero, never before 512 KiB and always at 8 MiB, giving restic's boundaries bit for bit.
/// </summary>
/// <remarks>
/// Once a cut is allowed, restic's rolling digest is exactly the fingerprint of the last 64 bytes, whatever
/// came before. That makes the search position-independent, so it runs as four interleaved lanes over
/// consecutive stretches: four independent dependency chains instead of one latency-bound chain. The first
/// 512 KiB − 64 bytes of each chunk are never hashed, as in restic. Stateless and thread-safe.
/// </remarks>
public sealed class ContentDefinedChunker
{
    public const int MinSize = 512 * 1024;
    public const int MaxSize = 8 * 1024 * 1024;
    private const ulong SplitMask = (1UL << 20) - 1;
    private const int Window = RabinTables.WindowSize;
    private const int Lanes = 4;
    private const int LaneLength = 16 * 1024;

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
        fixed (ulong* outTab = _tables.Out)
        fixed (ulong* modTab = _tables.Reduce)
        {
            var shift = _tables.Shift;
            var p = from;
            while (to - p >= Lanes * LaneLength)
            {
                var hit = ScanLanes(basePtr + p, outTab, modTab, shift);
                if (hit >= 0)
                    return p + hit;
                p += Lanes * LaneLength;
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

    /// <summary>Digest of the 64 bytes before <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe ulong Warm(byte* start, ulong* modTab, int shift)
    {
        ulong d = 0;
        for (var i = -Window; i < 0; i++)
            d = ((d << 8) | start[i]) ^ modTab[d >> shift];
        return d;
    }

    private static unsafe int ScanOne(byte* start, int length, ulong* outTab, ulong* modTab, int shift)
    {
        var d = Warm(start, modTab, shift);
        for (var i = 0; i < length; i++)
        {
            d ^= outTab[start[i - Window]];
            d = ((d << 8) | start[i]) ^ modTab[d >> shift];
            if ((d & SplitMask) == 0)
                return i;
        }
        return -1;
    }

    /// <summary>Scans four consecutive stretches of <see cref="LaneLength"/> at once; the earliest hit wins.</summary>
    [SkipLocalsInit]
    private static unsafe int ScanLanes(byte* start, ulong* outTab, ulong* modTab, int shift)
    {
        byte* s0 = start, s1 = start + LaneLength, s2 = start + 2 * LaneLength, s3 = start + 3 * LaneLength;
        ulong d0 = Warm(s0, modTab, shift), d1 = Warm(s1, modTab, shift), d2 = Warm(s2, modTab, shift), d3 = Warm(s3, modTab, shift);
        int h1 = -1, h2 = -1, h3 = -1;
        for (var i = 0; i < LaneLength; i++)
        {
            d0 ^= outTab[s0[i - Window]];
            d1 ^= outTab[s1[i - Window]];
            d2 ^= outTab[s2[i - Window]];
            d3 ^= outTab[s3[i - Window]];
            d0 = ((d0 << 8) | s0[i]) ^ modTab[d0 >> shift];
            d1 = ((d1 << 8) | s1[i]) ^ modTab[d1 >> shift];
            d2 = ((d2 << 8) | s2[i]) ^ modTab[d2 >> shift];
            d3 = ((d3 << 8) | s3[i]) ^ modTab[d3 >> shift];
            // (x & mask) − 1 borrows into bit 63 exactly when x & mask == 0: one branch for four lanes.
            if (((((d0 & SplitMask) - 1) | ((d1 & SplitMask) - 1) | ((d2 & SplitMask) - 1) | ((d3 & SplitMask) - 1)) >> 63) != 0)
            {
                if ((d0 & SplitMask) == 0)
                    return i;
                if (h1 < 0 && (d1 & SplitMask) == 0) h1 = i;
                if (h2 < 0 && (d2 & SplitMask) == 0) h2 = i;
                if (h3 < 0 && (d3 & SplitMask) == 0) h3 = i;
            }
        }
        if (h1 >= 0) return LaneLength + h1;
        if (h2 >= 0) return 2 * LaneLength + h2;
        if (h3 >= 0) return 3 * LaneLength + h3;
        return -1;
    }
}
