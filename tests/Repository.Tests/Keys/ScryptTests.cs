using System.Text;
using StashMount.Repository.Keys;

namespace StashMount.Repository.Tests.Keys;

public sealed class ScryptTests
{
    // RFC 7914 §12 vectors (the two cheap ones).
    [Theory]
    [InlineData("", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    public void MatchesRfc7914(string password, string salt, int n, int r, int p, string expected)
    {
        var key = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), n, r, p, 64);
        Assert.Equal(expected, Convert.ToHexStringLower(key));
    }

    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(64, 3, 5)]
    [InlineData(1024, 8, 3)]
    [InlineData(1024, 8, 4)] // restic's p: two lane pairs (ScryptLanePair)
    [InlineData(16, 1, 2)]
    public void MatchesBouncyCastle(int n, int r, int p)
    {
        var password = "geheim"u8.ToArray();
        var salt = Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray();
        var expected = Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(password, salt, n, r, p, 64);
        Assert.Equal(expected, Scrypt.DeriveKey(password, salt, n, r, p, 64));
    }

    [Theory]
    [InlineData(512, 4)]
    [InlineData(2, 1)]
    public void LanePairMixesEachLaneAsAloneAndMatchesTheOneLaneMix(int n, int r)
    {
        var laneBytes = 128 * r;
        var blocks = new byte[2 * laneBytes];
        new Random(11).NextBytes(blocks);
        var expected = blocks.ToArray();
        Scrypt.RoMix(expected.AsSpan(0, laneBytes), n, r, new uint[n * 32 * r]);
        Scrypt.RoMix(expected.AsSpan(laneBytes), n, r, new uint[n * 32 * r]);
        var paired = blocks.ToArray();
        ScryptLanePair.RoMix(paired.AsSpan(0, laneBytes), paired.AsSpan(laneBytes), n, r, new uint[n * 32 * r], new uint[n * 32 * r]);
        Assert.NotEqual(blocks, paired);
        Assert.Equal(expected, paired);
    }
}
