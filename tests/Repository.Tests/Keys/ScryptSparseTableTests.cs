using System.Text;
using StashMount.Repository.Keys;

namespace StashMount.Repository.Tests.Keys;

/// <summary>A mount keeps only every k-th block of scrypt's table and recomputes the rest: the key must not change.</summary>
public sealed class ScryptSparseTableTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(1024)]
    public void SparseTableGivesTheRfc7914Key(int divisor)
    {
        var before = KeyDerivation.TableDivisor;
        try
        {
            KeyDerivation.TableDivisor = divisor;
            var key = Scrypt.DeriveKey(Encoding.UTF8.GetBytes("password"), Encoding.UTF8.GetBytes("NaCl"), 1024, 8, 16, 64);
            Assert.Equal("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
                Convert.ToHexStringLower(key));
        }
        finally
        {
            KeyDerivation.TableDivisor = before;
        }
    }

    [Fact]
    public void SparseTableMatchesTheFullOneForOddParameters()
    {
        var before = KeyDerivation.TableDivisor;
        try
        {
            var password = Encoding.UTF8.GetBytes("restic");
            var salt = new byte[64];
            new Random(3).NextBytes(salt);
            KeyDerivation.TableDivisor = 1;
            var full = Scrypt.DeriveKey(password, salt, 256, 3, 2, 64);
            KeyDerivation.TableDivisor = 8;
            Assert.Equal(full, Scrypt.DeriveKey(password, salt, 256, 3, 2, 64));
        }
        finally
        {
            KeyDerivation.TableDivisor = before;
        }
    }
}
