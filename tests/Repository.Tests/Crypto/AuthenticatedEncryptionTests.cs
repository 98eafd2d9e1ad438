using System.Text;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Tests.Crypto;

public sealed class AuthenticatedEncryptionTests
{
    // restic's TestCrypto vector; its r is deliberately not clamped.
    private static readonly MasterKey VectorKey = new(
        Convert.FromHexString("303e8687b1d7db18421bdc6bb8588ccadac4d59ee87b8ff70c44e635790cafef"),
        Convert.FromHexString("ef4d8824cb80b2bcc5fbff8a9b12a42c"),
        Convert.FromHexString("cc8d4b948ee0ebfe1d415de921d10353"));

    private static readonly byte[] VectorStored = Convert.FromHexString(
        "69fb41c62d12def4593bd71757138606" + "338f621aeaeb39da0fe4f99233f8037a54ea" + "63338a813bcf3f75d8c3cc75dddf8750");

    [Fact]
    public void DecryptsResticVector()
    {
        var plaintext = AuthenticatedEncryption.Decrypt(VectorKey, VectorStored, "vector");
        Assert.Equal("Dies ist ein Test!", Encoding.UTF8.GetString(plaintext));
    }

    [Fact]
    public void AnyFlippedByteFailsWithTheDescriptionInTheMessage()
    {
        for (var i = 0; i < VectorStored.Length; i++)
        {
            var tampered = (byte[])VectorStored.Clone();
            tampered[i] ^= 0x01;
            Assert.False(AuthenticatedEncryption.TryDecrypt(VectorKey, tampered, new byte[18]));
            var e = Assert.Throws<IntegrityException>(() => AuthenticatedEncryption.Decrypt(VectorKey, tampered, "snapshots/1234"));
            Assert.Contains("snapshots/1234", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TooShortInputIsAnIntegrityError()
    {
        Assert.Throws<IntegrityException>(() => AuthenticatedEncryption.Decrypt(VectorKey, new byte[31], "index/x"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1 << 20)]
    public void RoundTripsWithFreshIvs(int length)
    {
        var key = MasterKey.CreateRandom();
        var plaintext = new byte[length];
        new Random(length).NextBytes(plaintext);
        var first = AuthenticatedEncryption.Encrypt(key, plaintext);
        var second = AuthenticatedEncryption.Encrypt(key, plaintext);
        Assert.Equal(length + CryptoConstants.Overhead, first.Length);
        Assert.NotEqual(first.AsSpan(0, 16).ToArray(), second.AsSpan(0, 16).ToArray());
        Assert.Equal(plaintext, AuthenticatedEncryption.Decrypt(key, first, "x"));
        Assert.Equal(plaintext, AuthenticatedEncryption.Decrypt(key, second, "x"));
    }

    [Fact]
    public async Task OneKeyServesManyThreadsAtOnce()
    {
        var key = MasterKey.CreateRandom();
        var plaintexts = Enumerable.Range(0, 64).Select(i => Enumerable.Range(0, 20_000 + i).Select(j => (byte)(i + j)).ToArray()).ToArray();
        var stored = plaintexts.Select(p => AuthenticatedEncryption.Encrypt(key, p)).ToArray();
        await Parallel.ForAsync(0, 64 * 8, (i, _) =>
        {
            Assert.Equal(plaintexts[i % 64], AuthenticatedEncryption.Decrypt(key, stored[i % 64], "x"));
            return ValueTask.CompletedTask;
        });
    }

    [Fact]
    public void WrongKeyIsRejected()
    {
        var stored = AuthenticatedEncryption.Encrypt(MasterKey.CreateRandom(), "secret"u8);
        Assert.False(AuthenticatedEncryption.TryDecrypt(MasterKey.CreateRandom(), stored, new byte[6]));
    }
}
