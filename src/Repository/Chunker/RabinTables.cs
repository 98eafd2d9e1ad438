using System.Collections.Concurrent;

namespace StashMount.Repository.Chunker;

/// <summary>
/// Precomputed tables of the rolling Rabin fingerprint for one polynomial: <see cref="Out"/>[b] removes byte
/// b leaving the 64-byte window, <see cref="Reduce"/>[b] folds the 8 bits shifted above the degree back
/// modulo the polynomial. Built once per polynomial and shared.
/// </summary>
public sealed class RabinTables
{
    public const int WindowSize = 64;

    private static readonly ConcurrentDictionary<ulong, RabinTables> Cache = new();

    private RabinTables(ulong polynomial)
    {
        var degree = Polynomial.Degree(polynomial);
        if (degree < 9 || degree > 61)
            throw new ArgumentException($"chunker polynomial {polynomial:x} has an unusable degree {degree}", nameof(polynomial));
        PolynomialValue = polynomial;
        Shift = degree - 8;
        for (var b = 0; b < 256; b++)
        {
            ulong h = Polynomial.Mod((ulong)b, polynomial);
            for (var i = 0; i < WindowSize - 1; i++)
                h = Polynomial.Mod(h << 8, polynomial);
            Out[b] = h;
            Reduce[b] = Polynomial.Mod((ulong)b << degree, polynomial) | ((ulong)b << degree);
        }
        OutThenReduce = [.. Out, .. Reduce];
    }

    public static RabinTables For(ulong polynomial) => Cache.GetOrAdd(polynomial, static p => new RabinTables(p));

    public ulong PolynomialValue { get; }

    /// <summary>degree − 8: where the top byte of a digest starts.</summary>
    public int Shift { get; }

    public ulong[] Out { get; } = new ulong[256];

    public ulong[] Reduce { get; } = new ulong[256];

    /// <summary><see cref="Out"/> followed by <see cref="Reduce"/>: the lane scan reaches both through one register.</summary>
    public ulong[] OutThenReduce { get; }

    /// <summary>The fingerprint of exactly one window (used to check cut values in tests and to start lanes).</summary>
    public ulong Fingerprint(ReadOnlySpan<byte> window)
    {
        ulong digest = 0;
        foreach (var b in window)
            digest = ((digest << 8) | b) ^ Reduce[digest >> Shift];
        return digest;
    }
}
