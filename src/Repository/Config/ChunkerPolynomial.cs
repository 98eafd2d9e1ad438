using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace StashMount.Repository.Config;

/// <summary>
/// Polynomials over GF(2) packed in a ulong (bit i = coefficient of x^i), as restic's chunker uses them: picking
/// a random irreducible polynomial of degree 53 for a new repository and checking a loaded one.
/// </summary>
public static class ChunkerPolynomial
{
    public const int Degree = 53;
    private const int MaxAttempts = 1_000_000;

    public static int DegreeOf(ulong p) => 63 - BitOperations.LeadingZeroCount(p);

    /// <summary>A random irreducible polynomial of degree 53 (the chunker's fingerprint modulus).</summary>
    public static ulong CreateRandom()
    {
        Span<byte> bytes = stackalloc byte[8];
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            RandomNumberGenerator.Fill(bytes);
            var candidate = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            // Keep degree exactly 53 and the constant term 1 (otherwise x divides it).
            candidate = (candidate & ((1UL << (Degree + 1)) - 1)) | (1UL << Degree) | 1;
            if (IsIrreducible(candidate))
                return candidate;
        }
        throw new InvalidOperationException("no irreducible polynomial found");
    }

    /// <summary>
    /// Ben-Or's test: f of degree d is irreducible iff gcd(f, x^(2^i) − x mod f) = 1 for every i in 1..d/2.
    /// </summary>
    public static bool IsIrreducible(ulong f)
    {
        var degree = DegreeOf(f);
        if (degree < 1 || degree > 62)
            return false;
        const ulong x = 2;
        var power = x; // x^(2^0)
        for (var i = 1; i <= degree / 2; i++)
        {
            power = MultiplyMod(power, power, f); // x^(2^i)
            if (Gcd(f, power ^ x) != 1)
                return false;
        }
        return true;
    }

    public static ulong Mod(ulong a, ulong p)
    {
        var dp = DegreeOf(p);
        for (var da = DegreeOf(a); da >= dp; da = DegreeOf(a))
            a ^= p << (da - dp);
        return a;
    }

    /// <summary>a·b mod p, by shift-and-add with a reduction after every doubling so nothing overflows.</summary>
    public static ulong MultiplyMod(ulong a, ulong b, ulong p)
    {
        var dp = DegreeOf(p);
        a = Mod(a, p);
        b = Mod(b, p);
        ulong result = 0;
        while (b != 0)
        {
            if ((b & 1) != 0)
                result ^= a;
            b >>= 1;
            a <<= 1;
            if (((a >> dp) & 1) != 0)
                a ^= p;
        }
        return result;
    }

    public static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0)
            (a, b) = (b, Mod(a, b));
        return a;
    }
}
