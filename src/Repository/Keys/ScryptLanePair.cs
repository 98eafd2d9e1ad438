using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StashMount.Repository.Keys;

/// <summary>
/// scryptROMix of two independent lanes at once, each 64-byte block of one lane in the low half of a 256-bit vector
/// and the other's in the high half. One lane's Salsa20/8 is a chain of dependent vector steps (the CPU waits on
/// each result), so a second lane in the idle upper halves costs almost nothing: restic's p = 4 keys take about
/// half the CPU of <see cref="Scrypt"/>'s one-lane RoMix. Each lane keeps its own table, laid out as there.
/// </summary>
internal static class ScryptLanePair
{
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    // Fully optimized from the first call, as Scrypt.RoMix: it runs once per process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RoMix(Span<byte> block0, Span<byte> block1, int n, int r, Span<uint> v0, Span<uint> v1)
    {
        var words = 32 * r;
        var scratch = GC.AllocateUninitializedArray<uint>(4 * words, pinned: true);
        uint* x0 = (uint*)Unsafe.AsPointer(ref scratch[0]), x1 = x0 + words, y0 = x1 + words, y1 = y0 + words;
        var layout = Scrypt.SalsaLayout;
        for (var i = 0; i < words; i++)
        {
            x0[i] = BinaryPrimitives.ReadUInt32LittleEndian(block0[(4 * layout[i % 16] + 64 * (i / 16))..]);
            x1[i] = BinaryPrimitives.ReadUInt32LittleEndian(block1[(4 * layout[i % 16] + 64 * (i / 16))..]);
        }
        fixed (uint* t0 = v0, t1 = v1)
        {
            new Span<uint>(x0, words).CopyTo(new Span<uint>(t0, words));
            new Span<uint>(x1, words).CopyTo(new Span<uint>(t1, words));
            for (var i = 0; i < n - 1; i++)
                BlockMix(t0 + i * words, t1 + i * words, null, null, t0 + (i + 1) * words, t1 + (i + 1) * words, r);
            BlockMix(t0 + (n - 1) * words, t1 + (n - 1) * words, null, null, x0, x1, r);
            for (var i = 0; i < n; i++)
            {
                // Integerify: first word of the last 64-byte block, per lane
                var j0 = (int)(x0[words - 16] & (uint)(n - 1));
                var j1 = (int)(x1[words - 16] & (uint)(n - 1));
                BlockMix(x0, x1, t0 + j0 * words, t1 + j1 * words, y0, y1, r);
                var swap = x0;
                x0 = y0;
                y0 = swap;
                swap = x1;
                x1 = y1;
                y1 = swap;
            }
        }
        for (var i = 0; i < words; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(block0[(4 * layout[i % 16] + 64 * (i / 16))..], x0[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(block1[(4 * layout[i % 16] + 64 * (i / 16))..], x1[i]);
        }
        GC.KeepAlive(scratch); // only raw pointers into it are used above: without this it may be freed mid-computation
    }

    /// <summary><see cref="Scrypt.BlockMix"/> of both lanes; <paramref name="xor0"/> and <paramref name="xor1"/> are both null or neither.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void BlockMix(uint* input0, uint* input1, uint* xor0, uint* xor1, uint* output0, uint* output1, int r)
    {
        var last = (2 * r - 1) * 16;
        var a = Load(input0 + last, input1 + last);
        var b = Load(input0 + last + 4, input1 + last + 4);
        var c = Load(input0 + last + 8, input1 + last + 8);
        var d = Load(input0 + last + 12, input1 + last + 12);
        if (xor0 != null)
        {
            a ^= Load(xor0 + last, xor1 + last);
            b ^= Load(xor0 + last + 4, xor1 + last + 4);
            c ^= Load(xor0 + last + 8, xor1 + last + 8);
            d ^= Load(xor0 + last + 12, xor1 + last + 12);
        }
        for (var i = 0; i < 2 * r; i++)
        {
            uint* block0 = input0 + i * 16, block1 = input1 + i * 16;
            a ^= Load(block0, block1);
            b ^= Load(block0 + 4, block1 + 4);
            c ^= Load(block0 + 8, block1 + 8);
            d ^= Load(block0 + 12, block1 + 12);
            if (xor0 != null)
            {
                uint* other0 = xor0 + i * 16, other1 = xor1 + i * 16;
                a ^= Load(other0, other1);
                b ^= Load(other0 + 4, other1 + 4);
                c ^= Load(other0 + 8, other1 + 8);
                d ^= Load(other0 + 12, other1 + 12);
            }
            Salsa20Core8(ref a, ref b, ref c, ref d);
            var at = ((i & 1) == 0 ? i / 2 : r + i / 2) * 16;
            Store(a, output0 + at, output1 + at);
            Store(b, output0 + at + 4, output1 + at + 4);
            Store(c, output0 + at + 8, output1 + at + 8);
            Store(d, output0 + at + 12, output1 + at + 12);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<uint> Load(uint* low, uint* high) => Vector256.Create(Vector128.Load(low), Vector128.Load(high));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(Vector256<uint> value, uint* low, uint* high)
    {
        value.GetLower().Store(low);
        value.GetUpper().Store(high);
    }

    /// <summary>Scrypt's Salsa20/8 on both halves (same diagonal layout); the rotations stay inside each half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Salsa20Core8(ref Vector256<uint> a, ref Vector256<uint> b, ref Vector256<uint> c, ref Vector256<uint> d)
    {
        Vector256<uint> a0 = a, b0 = b, c0 = c, d0 = d;
        var by1 = Vector256.Create(1u, 2, 3, 0, 5, 6, 7, 4);
        var by2 = Vector256.Create(2u, 3, 0, 1, 6, 7, 4, 5);
        var by3 = Vector256.Create(3u, 0, 1, 2, 7, 4, 5, 6);
        for (var round = 0; round < 8; round += 2)
        {
            d ^= RotateLeft(a + b, 7);
            c ^= RotateLeft(d + a, 9);
            b ^= RotateLeft(c + d, 13);
            a ^= RotateLeft(b + c, 18);
            b = Vector256.Shuffle(b, by1);
            c = Vector256.Shuffle(c, by2);
            d = Vector256.Shuffle(d, by3);
            b ^= RotateLeft(a + d, 7);
            c ^= RotateLeft(b + a, 9);
            d ^= RotateLeft(c + b, 13);
            a ^= RotateLeft(d + c, 18);
            b = Vector256.Shuffle(b, by3);
            c = Vector256.Shuffle(c, by2);
            d = Vector256.Shuffle(d, by1);
        }
        a += a0;
        b += b0;
        c += c0;
        d += d0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RotateLeft(Vector256<uint> value, [ConstantExpected] int count) =>
        Vector256.ShiftLeft(value, count) | Vector256.ShiftRightLogical(value, 32 - count);
}
