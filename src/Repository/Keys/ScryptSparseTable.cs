using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace StashMount.Repository.Keys;

/// <summary>
/// scryptROMix keeping only every k-th block of V (the time-memory trade-off the scrypt paper describes): the
/// first pass stores V[i] for i a multiple of k; the second pass rebuilds V[j] from the stored block at or before
/// j with j mod k BlockMix steps. Same output as <see cref="Scrypt"/>'s full table; for a process whose peak
/// memory matters more than a few hundred milliseconds of CPU once.
/// </summary>
internal static class ScryptSparseTable
{
    // Fully optimized from the first call, as Scrypt.RoMix: it runs once per process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RoMix(Span<byte> block, int n, int r, int k, Span<uint> v)
    {
        var words = 32 * r;
        var scratch = GC.AllocateUninitializedArray<uint>(4 * words, pinned: true);
        uint* x = (uint*)Unsafe.AsPointer(ref scratch[0]), y = x + words, t = y + words, u = t + words;
        var layout = Scrypt.SalsaLayout;
        for (var i = 0; i < words; i++)
            x[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * layout[i % 16] + 64 * (i / 16))..]);
        fixed (uint* vp = v)
        {
            for (var i = 0; i < n; i++)
            {
                if (i % k == 0)
                    new Span<uint>(x, words).CopyTo(new Span<uint>(vp + i / k * words, words));
                Scrypt.BlockMix(x, null, y, r);
                var swap = x;
                x = y;
                y = swap;
            }
            for (var i = 0; i < n; i++)
            {
                var j = (int)(x[words - 16] & (uint)(n - 1)); // Integerify: first word of the last 64-byte block
                var vj = vp + j / k * words;
                var steps = j % k;
                if (steps > 0)
                {
                    Scrypt.BlockMix(vj, null, t, r);
                    for (var s = 1; s < steps; s++)
                    {
                        Scrypt.BlockMix(t, null, u, r);
                        var other = t;
                        t = u;
                        u = other;
                    }
                    vj = t;
                }
                Scrypt.BlockMix(x, vj, y, r);
                var previous = x;
                x = y;
                y = previous;
            }
        }
        for (var i = 0; i < words; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(block[(4 * layout[i % 16] + 64 * (i / 16))..], x[i]);
        GC.KeepAlive(scratch); // only raw pointers into it are used above: without this it may be freed mid-computation
    }
}
