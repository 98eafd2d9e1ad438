using StashMount.Mount.Restore;

namespace StashMount.Mount.Tests.Restore;

public sealed class GoModeBitsTests
{
    [Theory]
    [InlineData(420u, 0x1A4u)]            // 0644 file
    [InlineData(8389101u, 0x9EDu)]        // setuid 04755
    [InlineData(2148532735u, 0x3FFu)]     // sticky dir 01777
    [InlineData(134218239u, 0x1FFu)]      // symlink 0777
    public void ConvertsToPosix(uint goMode, uint posix) => Assert.Equal(posix, GoModeBits.ToPosixPermissions(goMode));
}
