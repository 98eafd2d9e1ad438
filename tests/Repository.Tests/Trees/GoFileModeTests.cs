using StashMount.Repository.Trees;

namespace StashMount.Repository.Tests.Trees;

public sealed class GoFileModeTests
{
    // Go mode values restic 0.14 wrote (restic-format.md §5.4) and the st_mode they stand for.
    [Theory]
    [InlineData(420u, 0x81A4u)] // file 0644 -> S_IFREG|0644
    [InlineData(2147484141u, 0x41EDu)] // dir 0755
    [InlineData(134218239u, 0xA1FFu)] // symlink 0777
    [InlineData(33554852u, 0x11A4u)] // fifo 0644
    [InlineData(69206436u, 0x21A4u)] // chardev 0644
    [InlineData(67109284u, 0x61A4u)] // block device 0644
    [InlineData(16777709u, 0xC1EDu)] // socket 0755
    [InlineData(8389101u, 0x89EDu)] // setuid 04755 file
    [InlineData(2148532735u, 0x43FFu)] // sticky 01777 dir
    [InlineData(2151678445u, 0x45EDu)] // setgid 02755 dir
    public void ConvertsBothWays(uint goMode, uint posix)
    {
        Assert.Equal(posix, GoFileMode.ToPosix(goMode));
        Assert.Equal(goMode, GoFileMode.FromPosix(posix));
    }

    [Fact]
    public void NodeTypeDecidesTheFileType()
    {
        Assert.Equal(0x41EDu, GoFileMode.ToPosix(0x1ED, NodeType.Dir));
        Assert.Equal(0x81A4u, GoFileMode.ToPosix(420, NodeType.Irregular));
        Assert.Equal(0x89EDu, GoFileMode.ToPosix(8389101, NodeType.File));
    }
}
