using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace StashMount.Repository.Keys;

/// <summary>
/// scrypt (RFC 7914) with its p independent lanes run in parallel. Hand-written instead of BouncyCastle's
/// SCrypt, which runs the lanes one after another: restic keys use p = 3…6, so on a multi-core machine opening
/// a repository gets up to that many times faster at the same CPU cost (measured equal to BouncyCastle's here).
/// PBKDF2 is .NET's; BouncyCastle stays the test oracle.
/// </summary>
internal static class Scrypt
{

    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, int length)
    {
        var laneBytes = 128 * r;
        var lanes = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, p * laneBytes);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(Math.Min(p, Environment.ProcessorCount), KeyDerivation.ParallelLanes)) };
        // One table per worker, reused by the lanes it runs, from mmap and unmapped at once: as managed arrays, every
        // lane's 16-32 MiB stayed in the process (a mount's peak RSS) until a late collection gave it back.
        var tableBytes = (nuint)n * (nuint)laneBytes;
        Parallel.For(0, p, options, () => Table.Allocate(tableBytes), (lane, _, table) =>
        {
            RoMix(lanes.AsSpan(lane * laneBytes, laneBytes), n, r, table.Words);
            return table;
        }, table => table.Free());
        var key = Rfc2898DeriveBytes.Pbkdf2(password, lanes, 1, HashAlgorithmName.SHA256, length);
        CryptographicOperations.ZeroMemory(lanes);
        return key;
    }

    /// <summary>scryptROMix: N sequential BlockMix steps filling V, then N data-dependent lookups into it.</summary>
    private static void RoMix(Span<byte> block, int n, int r, Span<uint> v)
    {
        var words = 32 * r;
        var x = new uint[words];
        var y = new uint[words];
        for (var i = 0; i < words; i++)
            x[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * i)..]);

        for (var i = 0; i < n; i++)
        {
            x.CopyTo(v[(i * words)..]);
            BlockMix(x, y, r);
        }
        for (var i = 0; i < n; i++)
        {
            var j = (int)(x[words - 16] & (uint)(n - 1)); // Integerify: first word of the last 64-byte block
            var vj = v.Slice(j * words, words);
            for (var k = 0; k < words; k++)
                x[k] ^= vj[k];
            BlockMix(x, y, r);
        }

        for (var i = 0; i < words; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(block[(4 * i)..], x[i]);
    }

    /// <summary>scrypt's V for one worker: N·128·r bytes of anonymous pages (unmapped, so never seen again, when done).</summary>
    private sealed unsafe class Table(nuint bytes)
    {
        private byte* _pointer = AnonymousPages.Allocate(bytes);

        public static Table Allocate(nuint bytes) => new(bytes);

        public Span<uint> Words => new(_pointer, (int)(bytes / sizeof(uint)));

        public void Free()
        {
            AnonymousPages.Free(_pointer, bytes);
            _pointer = null;
        }
    }

    /// <summary>scryptBlockMix in place in <paramref name="b"/>, using <paramref name="scratch"/>: even outputs first, then odd.</summary>
    private static void BlockMix(uint[] b, uint[] scratch, int r)
    {
        Span<uint> t = stackalloc uint[16];
        b.AsSpan((2 * r - 1) * 16, 16).CopyTo(t);
        for (var i = 0; i < 2 * r; i++)
        {
            var bi = b.AsSpan(i * 16, 16);
            for (var k = 0; k < 16; k++)
                t[k] ^= bi[k];
            Salsa20Core8(t);
            var destination = (i & 1) == 0 ? (i / 2) * 16 : (r + i / 2) * 16;
            t.CopyTo(scratch.AsSpan(destination, 16));
        }
        scratch.AsSpan(0, 32 * r).CopyTo(b);
    }

    /// <summary>The Salsa20/8 core: four double rounds, then the input added back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Salsa20Core8(Span<uint> b)
    {
        uint x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3], x4 = b[4], x5 = b[5], x6 = b[6], x7 = b[7];
        uint x8 = b[8], x9 = b[9], x10 = b[10], x11 = b[11], x12 = b[12], x13 = b[13], x14 = b[14], x15 = b[15];
        for (var round = 0; round < 8; round += 2)
        {
            // columns
            x4 ^= BitOperations.RotateLeft(x0 + x12, 7); x8 ^= BitOperations.RotateLeft(x4 + x0, 9);
            x12 ^= BitOperations.RotateLeft(x8 + x4, 13); x0 ^= BitOperations.RotateLeft(x12 + x8, 18);
            x9 ^= BitOperations.RotateLeft(x5 + x1, 7); x13 ^= BitOperations.RotateLeft(x9 + x5, 9);
            x1 ^= BitOperations.RotateLeft(x13 + x9, 13); x5 ^= BitOperations.RotateLeft(x1 + x13, 18);
            x14 ^= BitOperations.RotateLeft(x10 + x6, 7); x2 ^= BitOperations.RotateLeft(x14 + x10, 9);
            x6 ^= BitOperations.RotateLeft(x2 + x14, 13); x10 ^= BitOperations.RotateLeft(x6 + x2, 18);
            x3 ^= BitOperations.RotateLeft(x15 + x11, 7); x7 ^= BitOperations.RotateLeft(x3 + x15, 9);
            x11 ^= BitOperations.RotateLeft(x7 + x3, 13); x15 ^= BitOperations.RotateLeft(x11 + x7, 18);
            // rows
            x1 ^= BitOperations.RotateLeft(x0 + x3, 7); x2 ^= BitOperations.RotateLeft(x1 + x0, 9);
            x3 ^= BitOperations.RotateLeft(x2 + x1, 13); x0 ^= BitOperations.RotateLeft(x3 + x2, 18);
            x6 ^= BitOperations.RotateLeft(x5 + x4, 7); x7 ^= BitOperations.RotateLeft(x6 + x5, 9);
            x4 ^= BitOperations.RotateLeft(x7 + x6, 13); x5 ^= BitOperations.RotateLeft(x4 + x7, 18);
            x11 ^= BitOperations.RotateLeft(x10 + x9, 7); x8 ^= BitOperations.RotateLeft(x11 + x10, 9);
            x9 ^= BitOperations.RotateLeft(x8 + x11, 13); x10 ^= BitOperations.RotateLeft(x9 + x8, 18);
            x12 ^= BitOperations.RotateLeft(x15 + x14, 7); x13 ^= BitOperations.RotateLeft(x12 + x15, 9);
            x14 ^= BitOperations.RotateLeft(x13 + x12, 13); x15 ^= BitOperations.RotateLeft(x14 + x13, 18);
        }
        b[0] += x0; b[1] += x1; b[2] += x2; b[3] += x3; b[4] += x4; b[5] += x5; b[6] += x6; b[7] += x7;
        b[8] += x8; b[9] += x9; b[10] += x10; b[11] += x11; b[12] += x12; b[13] += x13; b[14] += x14; b[15] += x15;
    }
}
