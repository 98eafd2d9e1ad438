namespace StashMount.Repository.Tests.Chunker;

/// <summary>The chunker fixture's input generator (a 32-bit LCG, top byte per step) and its vector file.</summary>
internal static class ChunkerTestData
{
    public const ulong FixturePolynomial = 0x3DA3358B4DC173;

    public static byte[] Lcg(uint seed, int length)
    {
        var data = new byte[length];
        var s = seed;
        for (var i = 0; i < length; i++)
        {
            s = unchecked(s * 1664525 + 1013904223);
            data[i] = (byte)(s >> 24);
        }
        return data;
    }

    public sealed record Vector(long Start, int Length, ulong Cut, string Sha256);

    /// <summary>The chunks listed for one seed in tests/Fixtures/chunker-vectors-lcg.txt.</summary>
    public static (int Length, List<Vector> Chunks) Load(uint seed)
    {
        var lines = File.ReadAllLines(Path.Combine(TestSupport.RepositoryPaths.Fixtures, "chunker-vectors-lcg.txt"));
        var chunks = new List<Vector>();
        var length = -1;
        foreach (var line in lines)
        {
            if (line.StartsWith("# lcg ", StringComparison.Ordinal))
            {
                if (length >= 0) break;
                if (line.Contains($"seed={seed} ", StringComparison.Ordinal))
                    length = int.Parse(line.Split(' ').First(f => f.StartsWith("len=", StringComparison.Ordinal))[4..]);
                continue;
            }
            if (length < 0 || line.StartsWith('#') || !char.IsDigit(line[0])) { if (length >= 0 && chunks.Count > 0) break; continue; }
            var f = line.Split(' ');
            chunks.Add(new Vector(long.Parse(f[0]), int.Parse(f[1]), Convert.ToUInt64(f[2][2..], 16), f[3]));
        }
        return (length, chunks);
    }
}
