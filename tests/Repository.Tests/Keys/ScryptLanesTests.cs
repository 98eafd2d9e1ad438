using System.Text;
using StashMount.Repository.Keys;

namespace StashMount.Repository.Tests.Keys;

/// <summary>A mount runs scrypt's lanes one at a time (one table in memory): the key must not change.</summary>
public sealed class ScryptLanesTests
{
    [Fact]
    public void OneLaneAtATimeGivesTheRfc7914Key()
    {
        var before = KeyDerivation.ParallelLanes;
        try
        {
            KeyDerivation.ParallelLanes = 1;
            var key = Scrypt.DeriveKey(Encoding.UTF8.GetBytes("password"), Encoding.UTF8.GetBytes("NaCl"), 1024, 8, 16, 64);
            Assert.Equal("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
                Convert.ToHexStringLower(key));
        }
        finally
        {
            KeyDerivation.ParallelLanes = before;
        }
    }
}
