using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace StashMount.Repository.Chunker;

/// <summary>
/// Arithmetic on polynomials over GF(2) packed into a ulong (bit i = coefficient of x^i), as the
/// chunker needs it: reduction, multiplication modulo a polynomial, and the irreducibility test that
/// restic applies to the repository's chunker polynomial.
/// </summary>
public static class Polynomial
{
    /// <summary>restic picks polynomials of exactly this degree.</summary>
    public const int RandomDegree = 53;

    /// <summary>Index of the highest set bit; -1 for the zero polynomial.</summary>
    public static int Degree(ulong p) => p == 0 ? -1 : 63 - BitOperations.LeadingZeroCount(p);

    public static ulong Mod(ulong x, ulong p)
    {
        var dp = Degree(p);
        if (dp < 0)
            throw new DivideByZeroException("polynomial division by zero");
        for (var dx = Degree(x); dx >= dp; dx = Degree(x))
            x ^= p << (dx - dp);
        return x;
    }

    /// <summary>(a · b) mod p, reducing after every doubling so nothing overflows 64 bits.</summary>
    public static ulong MulMod(ulong a, ulong b, ulong p)
    {
        a = Mod(a, p);
        b = Mod(b, p);
        ulong result = 0;
        var dp = Degree(p);
        while (b != 0)
        {
            if ((b & 1) != 0)
                result ^= a;
            b >>= 1;
            a <<= 1;
            if (Degree(a) >= dp)
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

    /// <summary>Ben-Or's test: f is irreducible iff gcd(f, x^(2^i) − x mod f) = 1 for i = 1 … deg(f)/2.</summary>
    public static bool IsIrreducible(ulong f)
    {
        var degree = Degree(f);
        if (degree < 1)
            return false;
        ulong power = 2; // the polynomial x
        for (var i = 1; i <= degree / 2; i++)
        {
            power = MulMod(power, power, f);
            if (Gcd(f, power ^ 2) != 1)
                return false;
        }
        return true;
    }

    /// <summary>A random irreducible polynomial of degree 53, drawn the way restic does for a new repository.</summary>
    public static ulong RandomIrreducible()
    {
        Span<byte> bytes = stackalloc byte[8];
        for (var attempt = 0; attempt < 1_000_000; attempt++)
        {
            RandomNumberGenerator.Fill(bytes);
            var f = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            f &= (1UL << (RandomDegree + 1)) - 1;
            f |= (1UL << RandomDegree) | 1;
            if (IsIrreducible(f))
                return f;
        }
        throw new InvalidOperationException("no irreducible polynomial found");
    }
}
