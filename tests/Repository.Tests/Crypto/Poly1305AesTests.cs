using StashMount.Repository.Crypto;

namespace StashMount.Repository.Tests.Crypto;

public sealed class Poly1305AesTests
{
    // Bernstein's Poly1305-AES vectors, as restic's crypto tests use them: msg, r, k, nonce, tag.
    [Theory]
    [InlineData("f3f6", "851fc40c3467ac0be05cc20404f3f700", "ec074c835580741701425b623235add6", "fb447350c4e868c52ac3275cf9d4327e", "f4c633c3044fc145f84f335cb81953de")]
    [InlineData("", "a0f3080000f46400d0c7e9076c834403", "75deaa25c09f208e1dc4ce6b5cad3fbf", "61ee09218d29b0aaed7e154a2c5509cc", "dd3fab2251f11ac759f0887129cc2ee7")]
    [InlineData("663cea190ffb83d89593f3f476b6bc24d7e679107ea26adb8caf6652d0656136", "48443d0bb0d21109c89a100b5ce2c208", "6acb5f61a7176dd320c5c1eb2edcdc74", "ae212a55399729595dea458bc621ff0e", "0ee1c16bb73f0f4fd19881753c01cdbe")]
    [InlineData("ab0812724a7f1e342742cbed374d94d136c6b8795d45b3819830f2c04491faf0990c62e48b8018b2c3e4a0fa3134cb67fa83e158c994d961c4cb21095c1bf9", "12976a08c4426d0ce8a82407c4f48207", "e1a5668a4d5b66a5f68cc5424ed5982d", "9ae831e743978d3a23527c7128149e3a", "5154ad0d2cb26e01274fc51148491f1b")]
    public void MatchesReferenceVectors(string message, string r, string k, string nonce, string expectedTag)
    {
        var tag = new byte[16];
        Poly1305Aes.ComputeTag(new AesBlockCipherPool(Convert.FromHexString(k)), Convert.FromHexString(r), Convert.FromHexString(nonce), Convert.FromHexString(message), tag);
        Assert.Equal(expectedTag, Convert.ToHexStringLower(tag));
    }

    public static TheoryData<bool> Fill => new() { false, true };

    // The hand-written Poly1305 against BouncyCastle's, on every short length (all tail shapes), long messages,
    // and all-0xff messages and keys that push every limb carry to its maximum.
    [Theory]
    [MemberData(nameof(Fill))]
    public void MatchesBouncyCastlePoly1305Aes(bool allOnes)
    {
        var random = new Random(allOnes ? 7 : 42);
        var k = new byte[16];
        var r = new byte[16];
        var nonce = new byte[16];
        foreach (var length in Enumerable.Range(0, 290).Concat([16 * 1024 - 1, 16 * 1024, 100_003]))
        {
            random.NextBytes(k);
            random.NextBytes(r);
            random.NextBytes(nonce);
            var message = new byte[length];
            random.NextBytes(message);
            if (allOnes)
            {
                Array.Fill(message, (byte)0xff);
                Array.Fill(r, (byte)0xff);
            }
            var tag = new byte[16];
            Poly1305Aes.ComputeTag(new AesBlockCipherPool(k), r, nonce, message, tag);

            // BouncyCastle's own Poly1305-AES: its 32-byte key is r || k (r clamped by the caller).
            var clamped = (byte[])r.Clone();
            Poly1305Aes.Clamp(clamped);
            var reference = new Org.BouncyCastle.Crypto.Macs.Poly1305(new Org.BouncyCastle.Crypto.Engines.AesEngine());
            reference.Init(new Org.BouncyCastle.Crypto.Parameters.ParametersWithIV(new Org.BouncyCastle.Crypto.Parameters.KeyParameter([.. clamped, .. k]), nonce));
            reference.BlockUpdate(message, 0, message.Length);
            var expected = new byte[16];
            reference.DoFinal(expected, 0);
            Assert.Equal(expected, tag);
        }
    }
}
