using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Read;

/// <summary>
/// Restore fetches content while it still walks the trees: a blob that files far apart in the walk share may already
/// be written when the later file is found, and is then read once more. Both must come out as restic restores them.
/// </summary>
[Collection(ReadCollection.Name)]
public sealed class StreamedRestoreTests
{
    [Fact]
    public async Task ContentSharedByFilesFarApartInTheWalkIsRestoredIntoEach()
    {
        using var temp = new TempDirectory("stashmount-streamed-restore");
        var source = temp.Combine("source");
        var random = new Random(7);
        byte[] Bytes(int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }
        var shared = Bytes(300_000);
        var sharedBig = Bytes(3 << 20); // several chunks, shared too
        Directory.CreateDirectory(Path.Combine(source, "a"));
        File.WriteAllBytes(Path.Combine(source, "a", "shared"), shared);
        File.WriteAllBytes(Path.Combine(source, "a", "shared-big"), sharedBig);
        // More small files than one batch of blobs, so the first batch is queued (and likely written) before "z".
        Directory.CreateDirectory(Path.Combine(source, "m"));
        for (var i = 0; i < 1500; i++)
            File.WriteAllBytes(Path.Combine(source, "m", $"f{i:D4}"), Bytes(100 + i));
        Directory.CreateDirectory(Path.Combine(source, "z"));
        File.WriteAllBytes(Path.Combine(source, "z", "shared"), shared);
        File.WriteAllBytes(Path.Combine(source, "z", "shared-big"), sharedBig);
        File.WriteAllBytes(Path.Combine(source, "z", "twice"), [.. shared, .. shared]);

        var restic = new ResticCli(temp.Combine("repo"));
        await restic.InitAsync(2);
        var snapshot = await restic.BackupAsync(temp.Path, [source]);
        var expected = temp.Combine("restic");
        var actual = temp.Combine("ours");
        (await restic.RunAsync("restore", snapshot, "--target", expected)).EnsureSuccess("restic restore");
        var result = await new StashMountCli(restic.Repository).RunAsync("restore", snapshot, "--target", actual);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        Assert.Equal("", result.StandardError);
        TreeAssert.Equal(TreeCapture.Capture(expected), TreeCapture.Capture(actual));
        var restored = Path.Combine(actual, source.TrimStart('/'));
        Assert.Equal(shared, File.ReadAllBytes(Path.Combine(restored, "z", "shared")));
        Assert.Equal(sharedBig, File.ReadAllBytes(Path.Combine(restored, "z", "shared-big")));
    }
}
