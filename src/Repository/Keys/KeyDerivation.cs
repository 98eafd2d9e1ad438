using System.Text;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Keys;

/// <summary>The password → user key step: scrypt to 64 bytes, split into AES key, MAC k and MAC r.</summary>
public static class KeyDerivation
{
    public const string ScryptName = "scrypt";
    public const int SaltSize = 64;

    /// <summary>restic's calibration settles on N=32768, r=8 on typical machines (memory bound of 60 MiB).</summary>
    public const int DefaultN = 32768;
    public const int DefaultR = 8;
    public const int DefaultP = 1;

    /// <summary>
    /// scrypt lanes run at once; each holds N·128·r bytes (16-32 MiB for restic keys) while it runs. A long-running
    /// mount sets 1: otherwise the few hundred milliseconds of opening the key set its peak RSS for good.
    /// </summary>
    public static int ParallelLanes { get; set; } = 4;

    /// <summary>
    /// Keep only every k-th block of scrypt's table (a power of two; 1 keeps all) and recompute the others from
    /// the kept one before them when the second pass needs them: the table takes 1/k of the memory for about
    /// (k + 3) / 4 times the CPU, and the key is the same. A mount sets 4: its 32 MiB table (restic's N and r) was
    /// its peak RSS, taken once at startup.
    /// </summary>
    public static int TableDivisor { get; set; } = 1;

    public static MasterKey DeriveUserKey(string password, ReadOnlySpan<byte> salt, long n, int r, int p)
    {
        Validate(n, r, p);
        var derived = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), salt, (int)n, r, p, 64);
        return MasterKey.FromBytes(derived);
    }

    /// <summary>The parameter checks restic applies (via simple-scrypt) before running scrypt.</summary>
    public static void Validate(long n, int r, int p)
    {
        if (n <= 1 || (n & (n - 1)) != 0 || n > int.MaxValue / 128 / Math.Max(r, 1))
            throw new RepositoryException($"invalid scrypt parameter N={n}");
        if (r < 1 || p < 1 || (long)r * p >= 1 << 30)
            throw new RepositoryException($"invalid scrypt parameters r={r} p={p}");
    }
}
