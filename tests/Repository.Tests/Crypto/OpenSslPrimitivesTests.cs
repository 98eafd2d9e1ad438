using StashMount.Repository.Crypto;

namespace StashMount.Repository.Tests.Crypto;

/// <summary>The libcrypto fast paths against the managed implementations (themselves checked against vectors and BouncyCastle).</summary>
public sealed class OpenSslPrimitivesTests
{
    [Fact]
    public void LibcryptoIsUsedOnLinux()
    {
        Assert.True(OpenSslPrimitives.HasAesCtr);
        Assert.True(OpenSslPrimitives.HasPoly1305);
    }

    // One thread runs every length in turn, so each call re-initialises the per-thread context left by a
    // call that ended mid-block.
    [Fact]
    public void AesCtrMatchesManagedKeystream()
    {
        var random = new Random(3);
        foreach (var length in Enumerable.Range(0, 70).Concat([16 * 1024 - 1, 16 * 1024 * 3 + 7, 1 << 20]))
        {
            var key = new byte[32];
            var iv = new byte[16];
            random.NextBytes(key);
            random.NextBytes(iv);
            if (length % 5 == 0)
                Array.Fill(iv, (byte)0xff, 8, 8); // the low 64 bits wrap: the carry goes into the high half
            var input = new byte[length];
            random.NextBytes(input);
            var expected = new byte[length];
            AesCtr.TransformManaged(new AesBlockCipherPool(key), iv, input, expected);
            var actual = new byte[length];
            OpenSslPrimitives.AesCtrTransform(key, iv, input, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Poly1305MatchesManaged()
    {
        var random = new Random(5);
        var r = new byte[16];
        var s = new byte[16];
        foreach (var length in Enumerable.Range(0, 100).Concat([4095, 100_003, 1 << 20]))
        {
            random.NextBytes(r);
            random.NextBytes(s);
            var message = new byte[length];
            random.NextBytes(message);
            var expected = new byte[16];
            Poly1305.ComputeTag(r, s, message, expected);
            var actual = new byte[16];
            OpenSslPrimitives.Poly1305Tag(r, s, message, actual);
            Assert.Equal(expected, actual);
        }
    }
}
