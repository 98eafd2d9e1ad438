using System.Runtime.CompilerServices;

namespace StashMount.Repository.Chunker;

/// <summary>
/// The chunker's search over one block of <see cref="BlockLength"/> bytes as eight interleaved lanes, each rolling
/// restic's fingerprint over its own consecutive stretch (see <see cref="ContentDefinedChunker"/> for why that is
/// exact): eight independent dependency chains keep the core busy where one chain waits on each table load. The hot
/// loop (<see cref="Roll"/>) keeps all eight digests, the block pointer and one table pointer in registers and only
/// leaves for a possible cut; four lanes with the hit bookkeeping in the loop ran ~1.1 GB/s per core here, this
/// ~1.65 GB/s. restic's polynomials have degree 53, so the usual shift is a constant.
/// </summary>
internal static unsafe class RabinLaneScan
{
    public const int Lanes = 8;
    public const int LaneLength = 8 * 1024;
    public const int BlockLength = Lanes * LaneLength;
    private const ulong SplitMask = ContentDefinedChunker.SplitMask;
    private const int Window = RabinTables.WindowSize;
    private const int ResticShift = 53 - 8;

    private struct Digests
    {
        public ulong D0, D1, D2, D3, D4, D5, D6, D7;
    }

    /// <summary>
    /// The offset in the block of the first position whose digest has the split bits zero, or −1. The 64 bytes
    /// before <paramref name="start"/> must be readable. <paramref name="table"/> is <see cref="RabinTables.OutThenReduce"/>.
    /// </summary>
    [SkipLocalsInit]
    public static int Scan(byte* start, ulong* table, int shift)
    {
        const int L = LaneLength;
        var reduce = table + 256;
        Digests s;
        s.D0 = Warm(start, reduce, shift);
        s.D1 = Warm(start + L, reduce, shift);
        s.D2 = Warm(start + 2 * L, reduce, shift);
        s.D3 = Warm(start + 3 * L, reduce, shift);
        s.D4 = Warm(start + 4 * L, reduce, shift);
        s.D5 = Warm(start + 5 * L, reduce, shift);
        s.D6 = Warm(start + 6 * L, reduce, shift);
        s.D7 = Warm(start + 7 * L, reduce, shift);
        var end = start + L;
        var hit = int.MaxValue;
        for (var q = start; (q = shift == ResticShift ? RollResticShift(q, end, table, ref s) : RollAnyShift(q, end, table, ref s, shift)) < end; q++)
        {
            // Some lane may cut here: the first lane's hit is the earliest possible, a later lane's only if no earlier one hits.
            var i = (int)(q - start);
            if ((s.D0 & SplitMask) == 0) return i;
            if ((s.D1 & SplitMask) == 0) hit = Math.Min(hit, L + i);
            if ((s.D2 & SplitMask) == 0) hit = Math.Min(hit, 2 * L + i);
            if ((s.D3 & SplitMask) == 0) hit = Math.Min(hit, 3 * L + i);
            if ((s.D4 & SplitMask) == 0) hit = Math.Min(hit, 4 * L + i);
            if ((s.D5 & SplitMask) == 0) hit = Math.Min(hit, 5 * L + i);
            if ((s.D6 & SplitMask) == 0) hit = Math.Min(hit, 6 * L + i);
            if ((s.D7 & SplitMask) == 0) hit = Math.Min(hit, 7 * L + i);
        }
        return hit == int.MaxValue ? -1 : hit;
    }

    /// <summary>Digest of the 64 bytes before <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Warm(byte* start, ulong* reduce, int shift)
    {
        ulong d = 0;
        for (var i = -Window; i < 0; i++)
            d = ((d << 8) | start[i]) ^ reduce[d >> shift];
        return d;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte* RollResticShift(byte* q, byte* end, ulong* table, ref Digests s) => Roll(q, end, table, ref s, ResticShift);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte* RollAnyShift(byte* q, byte* end, ulong* table, ref Digests s, int shift) => Roll(q, end, table, ref s, shift);

    /// <summary>Rolls every lane from <paramref name="q"/> on; returns the position where some lane may cut, or <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Roll(byte* q, byte* end, ulong* table, ref Digests s, int shift)
    {
        const int L = LaneLength;
        ulong d0 = s.D0, d1 = s.D1, d2 = s.D2, d3 = s.D3, d4 = s.D4, d5 = s.D5, d6 = s.D6, d7 = s.D7;
        for (; q < end; q++)
        {
            d0 ^= table[q[-Window]];
            d1 ^= table[q[L - Window]];
            d2 ^= table[q[2 * L - Window]];
            d3 ^= table[q[3 * L - Window]];
            d4 ^= table[q[4 * L - Window]];
            d5 ^= table[q[5 * L - Window]];
            d6 ^= table[q[6 * L - Window]];
            d7 ^= table[q[7 * L - Window]];
            d0 = ((d0 << 8) | q[0]) ^ table[256 + (d0 >> shift)];
            d1 = ((d1 << 8) | q[L]) ^ table[256 + (d1 >> shift)];
            d2 = ((d2 << 8) | q[2 * L]) ^ table[256 + (d2 >> shift)];
            d3 = ((d3 << 8) | q[3 * L]) ^ table[256 + (d3 >> shift)];
            d4 = ((d4 << 8) | q[4 * L]) ^ table[256 + (d4 >> shift)];
            d5 = ((d5 << 8) | q[5 * L]) ^ table[256 + (d5 >> shift)];
            d6 = ((d6 << 8) | q[6 * L]) ^ table[256 + (d6 >> shift)];
            d7 = ((d7 << 8) | q[7 * L]) ^ table[256 + (d7 >> shift)];
            if ((d0 & SplitMask) == 0 || (d1 & SplitMask) == 0 || (d2 & SplitMask) == 0 || (d3 & SplitMask) == 0
                || (d4 & SplitMask) == 0 || (d5 & SplitMask) == 0 || (d6 & SplitMask) == 0 || (d7 & SplitMask) == 0)
                break;
        }
        s.D0 = d0; s.D1 = d1; s.D2 = d2; s.D3 = d3; s.D4 = d4; s.D5 = d5; s.D6 = d6; s.D7 = d7;
        return q;
    }
}
