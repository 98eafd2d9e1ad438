using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Tests.Crypto;

public sealed class AesCtrTests
{
    // IVs near the 64- and 128-bit boundaries check that the whole 16-byte block is one big-endian counter.
    [Theory]
    [InlineData("000102030405060708090a0b0c0d0e0f", 0)]
    [InlineData("000102030405060708090a0b0c0d0e0f", 1)]
    [InlineData("000102030405060708090a0b0c0d0e0f", 33)]
    [InlineData("0000000000000000fffffffffffffffe", 100)]
    [InlineData("fffffffffffffffffffffffffffffffe", 100)]
    [InlineData("69fb41c62d12def4593bd71757138606", 16 * 1024 * 3 + 7)]
    public void MatchesBouncyCastleSic(string ivHex, int length)
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray();
        var iv = Convert.FromHexString(ivHex);
        var input = Enumerable.Range(0, length).Select(i => (byte)(i * 31)).ToArray();
        var output = new byte[length];
        AesCtr.Transform(new AesBlockCipherPool(key), iv, input, output);

        var reference = new SicBlockCipher(new AesEngine());
        reference.Init(true, new ParametersWithIV(new KeyParameter(key), iv));
        var expected = new byte[length];
        var block = new byte[16];
        for (var offset = 0; offset < length; offset += 16)
        {
            var n = Math.Min(16, length - offset);
            var chunk = new byte[16];
            Array.Copy(input, offset, chunk, 0, n);
            reference.ProcessBlock(chunk, 0, block, 0);
            Array.Copy(block, 0, expected, offset, n);
        }
        Assert.Equal(expected, output);
    }

    [Fact]
    public void TransformsInPlace()
    {
        var cipher = new AesBlockCipherPool(new byte[32].Select((_, i) => (byte)i).ToArray());
        var iv = new byte[16];
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var copy = (byte[])data.Clone();
        AesCtr.Transform(cipher, iv, data, data);
        Assert.NotEqual(copy, data);
        AesCtr.Transform(cipher, iv, data, data);
        Assert.Equal(copy, data);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(5, 3)] // inside the first block
    [InlineData(13, 40)] // across block boundaries
    [InlineData(16, 16)]
    [InlineData(16 * 1000 + 9, 70_000)]
    public void TransformAtMatchesTheSameBytesOfTheWholeStream(int position, int length)
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + 3)).ToArray();
        var iv = Convert.FromHexString("fffffffffffffffffffffffffffffff0"); // the counter wraps inside the stream
        var input = Enumerable.Range(0, position + length).Select(i => (byte)(i * 17)).ToArray();
        var whole = new byte[input.Length];
        var cipher = new AesBlockCipherPool(key);
        AesCtr.Transform(cipher, iv, input, whole);

        var part = new byte[length];
        AesCtr.TransformAt(cipher, iv, position, input.AsSpan(position, length), part);

        Assert.Equal(whole.AsSpan(position, length).ToArray(), part);
    }
}
