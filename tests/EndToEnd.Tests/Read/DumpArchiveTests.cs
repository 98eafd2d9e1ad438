using System.Text.RegularExpressions;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Read;

/// <summary><c>dump</c> of a directory writes an archive that GNU tar / unzip extract to what restic restores.</summary>
[Collection(ReadCollection.Name)]
public sealed partial class DumpArchiveTests(ReadFixture fixture)
{
    [Fact]
    public async Task TarOfADirectoryExtractsToWhatResticRestores()
    {
        using var work = new TempDirectory("stashmount-dump");
        (await fixture.ResticV2.RunAsync("restore", "latest", "--target", work.Combine("restic"))).EnsureSuccess("restic restore");
        var dumped = (await fixture.StashMountV2.RunAsync("dump", "latest", fixture.Source)).EnsureSuccess("stashmount dump");
        var archive = work.Combine("ours.tar");
        await File.WriteAllBytesAsync(archive, dumped.StandardOutputBytes);
        Directory.CreateDirectory(work.Combine("ours"));
        (await ProcessRunner.RunAsync("tar", ["-C", work.Combine("ours"), "--xattrs", "--xattrs-include=*", "--same-owner", "-xpf", archive])).EnsureSuccess("tar x");

        // A tar holds each hard link as its own file, no access times, and times to 100 ns (.NET's tick; restic's
        // own tar keeps whole seconds); xattr values that are not UTF-8 (the PAX API takes strings) are left out.
        // Everything else must match.
        var options = new TreeCapture.Options(DirectoryTimes: false, AccessTimes: false);
        var relative = fixture.Source.TrimStart('/');
        var want = TreeCapture.Capture(Path.Join(work.Combine("restic"), relative), options).Select(WithoutLinkGroup)
            .Select(line => line.Replace(" xattr:user.binary=AP8Q", "")).ToList();
        var got = TreeCapture.Capture(Path.Join(work.Combine("ours"), relative), options).Select(WithoutLinkGroup).ToList();
        Assert.Contains(want, line => line.Contains("big.bin"));
        TreeAssert.Equal(want, got);
    }

    [Fact]
    public async Task ZipOfADirectoryHoldsItsFiles()
    {
        using var work = new TempDirectory("stashmount-dump");
        var dumped = (await fixture.StashMountV1.RunAsync("dump", "--archive", "zip", fixture.LatestV1, fixture.Source + "/modes")).EnsureSuccess("stashmount dump --archive zip");
        var archive = work.Combine("ours.zip");
        await File.WriteAllBytesAsync(archive, dumped.StandardOutputBytes);
        (await ProcessRunner.RunAsync("python3", ["-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", archive, work.Combine("x")])).EnsureSuccess("unzip");
        var readOnly = Path.Join(work.Combine("x"), fixture.Source.TrimStart('/'), "modes", "readonly");
        Assert.Equal("r", await File.ReadAllTextAsync(readOnly));
    }

    [Fact]
    public async Task UnknownArchiveFormatIsAUsageError()
    {
        var result = await fixture.StashMountV2.RunAsync("dump", "--archive", "rar", "latest", fixture.Source);
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.StandardOutputBytes);
    }

    private static string WithoutLinkGroup(string line) => TickTime().Replace(LinkGroup().Replace(line, ""), "$1");

    [GeneratedRegex(" link=.*$")]
    private static partial Regex LinkGroup();

    [GeneratedRegex(@"(mtime=\d+\.\d{7})\d\d")]
    private static partial Regex TickTime();
}
