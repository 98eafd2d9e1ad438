using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StashMount.Repository.Crypto;

/// <summary>
/// The Poly1305 one-time authenticator (RFC 8439 §2.5) over spans, with h and r in three limbs of 44/44/42 bits
/// and 64×64→128-bit multiplies. Hand-written instead of BouncyCastle's because the MAC check is half of
/// decrypting every blob: BouncyCastle's takes arrays only (forcing a copy) and measured about half as fast;
/// it remains the oracle in the tests.
/// </summary>
internal static class Poly1305
{
    private const ulong Mask44 = (1UL << 44) - 1;
    private const ulong Mask42 = (1UL << 42) - 1;

    /// <summary>The tag of <paramref name="message"/> under the one-time key r (clamped here) and s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ComputeTag(ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        var t0 = BinaryPrimitives.ReadUInt64LittleEndian(r) & 0x0ffffffc0fffffffUL;
        var t1 = BinaryPrimitives.ReadUInt64LittleEndian(r[8..]) & 0x0ffffffc0ffffffcUL;
        var r0 = t0 & Mask44;
        var r1 = ((t0 >> 44) | (t1 << 20)) & Mask44;
        var r2 = (t1 >> 24) & Mask42;
        // 2^132 ≡ 4·5 (mod 2^130 − 5): partial products past the top limb come back multiplied by 20.
        var s1 = r1 * 20;
        var s2 = r2 * 20;

        var words = MemoryMarshal.Cast<byte, ulong>(message[..(message.Length & ~15)]);
        var fullBlocks = words.Length / 2;
        var tailLength = message.Length & 15;
        Span<byte> tail = stackalloc byte[16];
        tail.Clear();
        if (tailLength > 0)
        {
            message[^tailLength..].CopyTo(tail);
            tail[tailLength] = 1; // a short final block carries its padding bit inside the 16 bytes
        }

        ulong h0 = 0, h1 = 0, h2 = 0;
        var blocks = fullBlocks + (tailLength > 0 ? 1 : 0);
        for (var b = 0; b < blocks; b++)
        {
            ulong m0, m1, hibit;
            if (b < fullBlocks)
            {
                m0 = LittleEndian(words[2 * b]);
                m1 = LittleEndian(words[2 * b + 1]);
                hibit = 1UL << 40; // 2^128 in the top limb
            }
            else
            {
                m0 = BinaryPrimitives.ReadUInt64LittleEndian(tail);
                m1 = BinaryPrimitives.ReadUInt64LittleEndian(tail[8..]);
                hibit = 0;
            }
            h0 += m0 & Mask44;
            h1 += ((m0 >> 44) | (m1 << 20)) & Mask44;
            h2 += ((m1 >> 24) & Mask42) | hibit;

            var d0 = (UInt128)h0 * r0 + (UInt128)h1 * s2 + (UInt128)h2 * s1;
            var d1 = (UInt128)h0 * r1 + (UInt128)h1 * r0 + (UInt128)h2 * s2;
            var d2 = (UInt128)h0 * r2 + (UInt128)h1 * r1 + (UInt128)h2 * r0;
            h0 = (ulong)d0 & Mask44;
            d1 += (ulong)(d0 >> 44);
            h1 = (ulong)d1 & Mask44;
            d2 += (ulong)(d1 >> 44);
            h2 = (ulong)d2 & Mask42;
            h0 += (ulong)(d2 >> 42) * 5;
            h1 += h0 >> 44;
            h0 &= Mask44;
        }

        // Fully reduce h modulo 2^130 − 5.
        ulong c;
        c = h1 >> 44; h1 &= Mask44; h2 += c;
        c = h2 >> 42; h2 &= Mask42; h0 += c * 5;
        c = h0 >> 44; h0 &= Mask44; h1 += c;
        c = h1 >> 44; h1 &= Mask44; h2 += c;
        c = h2 >> 42; h2 &= Mask42; h0 += c * 5;
        c = h0 >> 44; h0 &= Mask44; h1 += c;

        // g = h + 5 − 2^130; take g when that did not borrow (h ≥ p), without branching on secret data.
        var g0 = h0 + 5; c = g0 >> 44; g0 &= Mask44;
        var g1 = h1 + c; c = g1 >> 44; g1 &= Mask44;
        var g2 = h2 + c - (1UL << 42);
        var useG = (g2 >> 63) - 1; // all ones when no borrow
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & useG);

        // tag = (h + s) mod 2^128
        var lo = h0 | (h1 << 44);
        var hi = (h1 >> 20) | (h2 << 24);
        var sLo = BinaryPrimitives.ReadUInt64LittleEndian(s);
        var sHi = BinaryPrimitives.ReadUInt64LittleEndian(s[8..]);
        var sumLo = lo + sLo;
        var sumHi = hi + sHi + (sumLo < lo ? 1UL : 0UL);
        BinaryPrimitives.WriteUInt64LittleEndian(tag, sumLo);
        BinaryPrimitives.WriteUInt64LittleEndian(tag[8..], sumHi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LittleEndian(ulong value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
}
