using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Read;

[Collection(ReadCollection.Name)]
public sealed class ErrorTests(ReadFixture fixture)
{
    [Fact]
    public async Task WrongPasswordExits12WithResticsLine()
    {
        var result = await new StashMountCli(fixture.ResticV2.Repository, "not-the-password").RunAsync("snapshots");
        Assert.Equal(12, result.ExitCode);
        Assert.Equal("Fatal: wrong password or no key found\n", result.StandardError);
    }

    [Fact]
    public async Task MissingRepositoryExits10()
    {
        using var empty = new TempDirectory();
        var result = await new StashMountCli(empty.Combine("nothing-here")).RunAsync("snapshots");
        Assert.Equal(10, result.ExitCode);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task BadFlagIsUsageErrorExit1()
    {
        var result = await fixture.StashMountV2.RunAsync("restore", "latest", "--target", "/tmp/x", "--bogus");
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task CorruptPackFailsOnlyItsFileAndExits3()
    {
        using var temp = new TempDirectory("stashmount-corrupt");
        var source = temp.CreateSubdirectory("d");
        var bad = new byte[300_000];
        new Random(7).NextBytes(bad);
        await File.WriteAllBytesAsync(Path.Join(source, "bad.bin"), bad);
        var restic = new ResticCli(temp.Combine("repo"));
        await restic.InitAsync(2);
        await restic.BackupAsync(temp.Path, [source]);
        var firstPacks = Directory.GetFiles(temp.Combine("repo", "data"), "*", SearchOption.AllDirectories).ToHashSet();
        await File.WriteAllTextAsync(Path.Join(source, "good.txt"), "still fine\n");
        var snapshot = await restic.BackupAsync(temp.Path, [source]);
        // Every pack of the first backup holds only bad.bin's data or trees the second snapshot no longer uses.
        foreach (var pack in firstPacks)
        {
            File.SetUnixFileMode(pack, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var bytes = await File.ReadAllBytesAsync(pack);
            bytes[40] ^= 0xFF;
            await File.WriteAllBytesAsync(pack, bytes);
        }
        var target = temp.Combine("target");
        var result = await new StashMountCli(restic.Repository).RunAsync("restore", snapshot, "--target", target);
        Assert.Equal(3, result.ExitCode);
        var lines = result.StandardError.TrimEnd('\n').Split('\n');
        var errorLine = Assert.Single(lines, l => l.Contains("bad.bin"));
        Assert.Contains(firstPacks.Select(Path.GetFileName), p => errorLine.Contains(p![..8]));
        Assert.Equal("still fine\n", await File.ReadAllTextAsync(Path.Join(target, source.TrimStart('/'), "good.txt")));
    }
}
