using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace StashMount.Repository.Keys;

/// <summary>
/// scrypt (RFC 7914) with its p independent lanes run in parallel. Hand-written instead of BouncyCastle's
/// SCrypt, which runs the lanes one after another: restic keys use p = 3…6, so on a multi-core machine opening
/// a repository gets up to that many times faster at the same CPU cost (measured equal to BouncyCastle's here).
/// With full tables each worker mixes two lanes at once (<see cref="ScryptLanePair"/>) on a huge-page table.
/// PBKDF2 is .NET's; BouncyCastle stays the test oracle.
/// </summary>
internal static class Scrypt
{

    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, int length)
    {
        var laneBytes = 128 * r;
        var lanes = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, p * laneBytes);
        // One table per worker, reused by the lanes it runs, from mmap and unmapped at once: as managed arrays, every
        // lane's 16-32 MiB stayed in the process (a mount's peak RSS) until a late collection gave it back.
        var divisor = Math.Clamp(KeyDerivation.TableDivisor, 1, n);
        if ((divisor & (divisor - 1)) != 0)
            throw new ArgumentException("the scrypt table divisor must be a power of two", nameof(KeyDerivation.TableDivisor));
        var tableBytes = (nuint)(n / divisor) * (nuint)laneBytes;
        // With full tables, a worker runs two lanes at once in one vector (ScryptLanePair) when that many may run.
        var lanesPerWorker = divisor == 1 && p > 1 && KeyDerivation.ParallelLanes >= 2 && ScryptLanePair.IsSupported ? 2 : 1;
        var units = (p + lanesPerWorker - 1) / lanesPerWorker;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, Math.Min(Math.Min(units, Environment.ProcessorCount), KeyDerivation.ParallelLanes / lanesPerWorker)),
        };
        Parallel.For(0, units, options, () => Table.Allocate(tableBytes * (nuint)lanesPerWorker, huge: divisor == 1), (unit, _, table) =>
        {
            var lane = unit * lanesPerWorker;
            var block = lanes.AsSpan(lane * laneBytes, laneBytes);
            var words = table.Words;
            if (lanesPerWorker == 2 && lane + 1 < p)
                ScryptLanePair.RoMix(block, lanes.AsSpan((lane + 1) * laneBytes, laneBytes), n, r, words[..(words.Length / 2)], words[(words.Length / 2)..]);
            else if (divisor == 1)
                RoMix(block, n, r, words);
            else
                ScryptSparseTable.RoMix(block, n, r, divisor, words);
            return table;
        }, table => table.Free());
        var key = Rfc2898DeriveBytes.Pbkdf2(password, lanes, 1, HashAlgorithmName.SHA256, length);
        CryptographicOperations.ZeroMemory(lanes);
        return key;
    }

    /// <summary>
    /// scryptROMix: N sequential BlockMix steps filling V, then N data-dependent lookups into it. Each BlockMix
    /// reads one block of V and writes the next (or X), and the second loop XORs V[j] in while mixing, so no
    /// block is copied.
    /// </summary>
    // Fully optimized from the first call: it runs once per process, and at tier 0 the vector helpers are calls.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void RoMix(Span<byte> block, int n, int r, Span<uint> v)
    {
        var words = 32 * r;
        var xy = GC.AllocateUninitializedArray<uint>(2 * words, pinned: true);
        uint* x = (uint*)Unsafe.AsPointer(ref xy[0]), y = x + words;
        for (var i = 0; i < words; i++)
            x[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * SalsaLayout[i % 16] + 64 * (i / 16))..]);
        fixed (uint* vp = v)
        {
            new Span<uint>(x, words).CopyTo(new Span<uint>(vp, words));
            for (var i = 0; i < n - 1; i++)
                BlockMix(vp + i * words, null, vp + (i + 1) * words, r);
            BlockMix(vp + (n - 1) * words, null, x, r);
            for (var i = 0; i < n; i++)
            {
                var j = (int)(x[words - 16] & (uint)(n - 1)); // Integerify: first word of the last 64-byte block
                BlockMix(x, vp + j * words, y, r);
                var swap = x;
                x = y;
                y = swap;
            }
        }
        for (var i = 0; i < words; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(block[(4 * SalsaLayout[i % 16] + 64 * (i / 16))..], x[i]);
        // x and y point into xy, which nothing else refers to: without this the collector may free the (pinned) array
        // while they are still in use (seen: wrong keys under parallel tests, then a crashed test host).
        GC.KeepAlive(xy);
    }

    /// <summary>
    /// Word order of every 64-byte block while RoMix runs: the Salsa20 matrix by diagonals, so each
    /// quarter-round step is one vector operation on four words. Word 0 stays first (Integerify reads it).
    /// </summary>
    internal static readonly int[] SalsaLayout = [0, 5, 10, 15, 12, 1, 6, 11, 8, 13, 2, 7, 4, 9, 14, 3];

    /// <summary>
    /// scrypt's V for one worker: N·128·r bytes of anonymous pages (unmapped, so never seen again, when done). A full
    /// table of whole 2 MiB pages is put on huge pages: mapping restic's 32 MiB per lane as 4 KiB pages cost this VM
    /// about as much CPU as the lane's mixing.
    /// </summary>
    private sealed unsafe class Table(nuint bytes, bool huge)
    {
        private byte* _pointer = huge && bytes % AnonymousPages.HugePageSize == 0 ? AnonymousPages.AllocateHuge(bytes) : AnonymousPages.Allocate(bytes);

        public static Table Allocate(nuint bytes, bool huge) => new(bytes, huge);

        public Span<uint> Words => new(_pointer, (int)(bytes / sizeof(uint)));

        public void Free()
        {
            AnonymousPages.Free(_pointer, bytes);
            _pointer = null;
        }
    }

    /// <summary>
    /// scryptBlockMix of <paramref name="input"/> (XOR <paramref name="xor"/> when not null) into
    /// <paramref name="output"/>: even outputs first, then odd. Blocks are in <see cref="SalsaLayout"/> order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void BlockMix(uint* input, uint* xor, uint* output, int r)
    {
        var last = (2 * r - 1) * 16;
        var a = Vector128.Load(input + last);
        var b = Vector128.Load(input + last + 4);
        var c = Vector128.Load(input + last + 8);
        var d = Vector128.Load(input + last + 12);
        if (xor != null)
        {
            a ^= Vector128.Load(xor + last);
            b ^= Vector128.Load(xor + last + 4);
            c ^= Vector128.Load(xor + last + 8);
            d ^= Vector128.Load(xor + last + 12);
        }
        for (var i = 0; i < 2 * r; i++)
        {
            var block = input + i * 16;
            a ^= Vector128.Load(block);
            b ^= Vector128.Load(block + 4);
            c ^= Vector128.Load(block + 8);
            d ^= Vector128.Load(block + 12);
            if (xor != null)
            {
                var other = xor + i * 16;
                a ^= Vector128.Load(other);
                b ^= Vector128.Load(other + 4);
                c ^= Vector128.Load(other + 8);
                d ^= Vector128.Load(other + 12);
            }
            Salsa20Core8(ref a, ref b, ref c, ref d);
            var destination = output + ((i & 1) == 0 ? i / 2 : r + i / 2) * 16;
            a.Store(destination);
            b.Store(destination + 4);
            c.Store(destination + 8);
            d.Store(destination + 12);
        }
    }

    /// <summary>
    /// The Salsa20/8 core on one block in <see cref="SalsaLayout"/> order: a = (x0, x5, x10, x15),
    /// b = (x12, x1, x6, x11), c = (x8, x13, x2, x7), d = (x4, x9, x14, x3). Column rounds work on these
    /// diagonals as they are; row rounds on them rotated by one, two and three lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Salsa20Core8(ref Vector128<uint> a, ref Vector128<uint> b, ref Vector128<uint> c, ref Vector128<uint> d)
    {
        Vector128<uint> a0 = a, b0 = b, c0 = c, d0 = d;
        for (var round = 0; round < 8; round += 2)
        {
            d ^= RotateLeft(a + b, 7);
            c ^= RotateLeft(d + a, 9);
            b ^= RotateLeft(c + d, 13);
            a ^= RotateLeft(b + c, 18);
            b = Vector128.Shuffle(b, Vector128.Create(1u, 2, 3, 0));
            c = Vector128.Shuffle(c, Vector128.Create(2u, 3, 0, 1));
            d = Vector128.Shuffle(d, Vector128.Create(3u, 0, 1, 2));
            b ^= RotateLeft(a + d, 7);
            c ^= RotateLeft(b + a, 9);
            d ^= RotateLeft(c + b, 13);
            a ^= RotateLeft(d + c, 18);
            b = Vector128.Shuffle(b, Vector128.Create(3u, 0, 1, 2));
            c = Vector128.Shuffle(c, Vector128.Create(2u, 3, 0, 1));
            d = Vector128.Shuffle(d, Vector128.Create(1u, 2, 3, 0));
        }
        a += a0;
        b += b0;
        c += c0;
        d += d0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> RotateLeft(Vector128<uint> value, [ConstantExpected] int count) =>
        Vector128.ShiftLeft(value, count) | Vector128.ShiftRightLogical(value, 32 - count);
}
