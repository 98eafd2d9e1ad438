using StashMount.EndToEnd.Tests.Mount;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Writable;

/// <summary>A full spool disk: the writer gets ENOSPC, and the cut-short file is set aside instead of committed.</summary>
[Collection("mount")]
public sealed class FullSpoolTests
{
    [Fact]
    public async Task FileCutShortByAFullSpoolIsNotCommitted()
    {
        using var fixture = new WritableMount();
        await fixture.Restic.InitAsync();
        Directory.CreateDirectory(fixture.Spool);
        (await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", fixture.Spool])).EnsureSuccess("mount tmpfs");
        try
        {
            var big = fixture.Combine("big.bin");
            var data = new byte[6 * 1024 * 1024];
            new Random(5).NextBytes(data);
            await File.WriteAllBytesAsync(big, data);
            await using var mount = await fixture.StartAsync();
            await File.WriteAllTextAsync(Path.Combine(fixture.New, "small.txt"), "fits\n");

            var cp = await ProcessRunner.RunAsync("cp", [big, fixture.New], timeout: TimeSpan.FromMinutes(2));
            Assert.NotEqual(0, cp.ExitCode);
            Assert.Contains("No space left", cp.StandardError, StringComparison.Ordinal);
            Assert.True(await FuseMounts.WaitUntilAsync(() => mount.Output.Contains("big.bin", StringComparison.Ordinal), TimeSpan.FromMinutes(1)),
                "the cut-short file was not reported: " + mount.Output);

            var id = await fixture.CommitIdAsync(mount);
            var restored = await fixture.CheckAndRestoreAsync(id, "restored");
            Assert.Equal("fits\n", await File.ReadAllTextAsync(Path.Combine(restored, "small.txt")));
            Assert.False(File.Exists(Path.Combine(restored, "big.bin")), "a cut-short file was committed");
        }
        finally
        {
            await ProcessRunner.RunAsync("umount", ["-l", fixture.Spool]);
        }
    }
}
