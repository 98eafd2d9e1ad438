using System.Diagnostics;

namespace StashMount.EndToEnd.Tests.Writer;

/// <summary>A directory of test data with the things a backup must keep: content, modes, times, links, xattrs.</summary>
internal static class SourceTree
{
    public static void Create(string root, int randomBytes = 3_000_000, int seed = 1)
    {
        Directory.CreateDirectory(Path.Combine(root, "sub", "deeper"));
        var random = new Random(seed);
        var big = new byte[randomBytes];
        random.NextBytes(big);
        File.WriteAllBytes(Path.Combine(root, "big.bin"), big);
        File.WriteAllBytes(Path.Combine(root, "zeros.bin"), new byte[600 * 1024]);
        File.WriteAllText(Path.Combine(root, "sub", "hello.txt"), "hello restic\n");
        File.WriteAllText(Path.Combine(root, "sub", "deeper", "name with spaces & <odd> chars ä.txt"), "odd\n");
        File.WriteAllBytes(Path.Combine(root, "empty"), []);
        for (var i = 0; i < 50; i++)
            File.WriteAllText(Path.Combine(root, "sub", $"small-{i:D3}.txt"), new string('x', i * 37));
        File.CreateSymbolicLink(Path.Combine(root, "link"), "sub/hello.txt");
        File.SetUnixFileMode(Path.Combine(root, "sub", "hello.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.UserExecute);
        File.SetLastWriteTimeUtc(Path.Combine(root, "big.bin"), new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567));
        Run("setfattr", "-n", "user.stashmount", "-v", "value-1", Path.Combine(root, "sub", "hello.txt"));
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} failed: {p.StandardError.ReadToEnd()}");
    }
}
