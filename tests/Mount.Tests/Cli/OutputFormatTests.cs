using StashMount.Mount.Commands;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Tests.Cli;

public sealed class OutputFormatTests
{
    [Theory]
    [InlineData(420u, "-rw-r--r--")]
    [InlineData(2147484141u, "drwxr-xr-x")]
    [InlineData(134218239u, "Lrwxrwxrwx")]
    [InlineData(33554852u, "prw-r--r--")]
    [InlineData(69206436u, "Dcrw-r--r--")]
    [InlineData(8389028u, "urw-r--r--")]
    [InlineData(2148532735u, "dtrwxrwxrwx")]
    public void FileModeTextIsGos(uint mode, string text) => Assert.Equal(text, FileModeText.ToText(mode));

    [Theory]
    [InlineData("2026-11-29T08:42:09.354800802Z", "2026-11-29 08:42:09.354800802 +0000 UTC")]
    [InlineData("2024-01-02T03:04:05+01:00", "2024-01-02 03:04:05 +0100 +0100")]
    public void SnapshotTimeIsGoString(string stored, string printed) => Assert.Equal(printed, GoTimeText.GoString(stored));

    [Theory]
    [InlineData("/data/sub", "/data/sub", true)]
    [InlineData("/data/sub", "/data/sub/f", true)]
    [InlineData("/data/sub", "/data/sub/deeper/g", false)]
    [InlineData("/data/sub", "/data", false)]
    [InlineData("/data/sub", "/data/subway", false)]
    public void LsPrintsDirAndDirectChildren(string dir, string path, bool printed) =>
        Assert.Equal(printed, new LsSelection([dir], recursive: false).Prints(path));
}
