using System.Text;

namespace StashMount.TestSupport;

/// <summary>
/// Writes a small but varied directory tree to back up in tests: empty and tiny files, a file spanning
/// several chunks, zeros, nested and empty directories, a symlink, unusual names and modes. Deterministic
/// for a given seed.
/// </summary>
public static class SampleFiles
{
    public static void Create(string root, int seed = 1)
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "hello.txt"), $"hello restic {seed}\n");
        File.WriteAllBytes(Path.Combine(root, "empty"), []);
        File.WriteAllBytes(Path.Combine(root, "zeros.bin"), new byte[600 * 1024]);
        File.WriteAllBytes(Path.Combine(root, "random.bin"), Random(3 * 1024 * 1024 + 17, seed));
        var lines = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
            lines.Append("line ").Append(i).Append(' ').Append(seed).Append('\n');
        var dir = Directory.CreateDirectory(Path.Combine(root, "dir", "nested", "deeper")).FullName;
        File.WriteAllText(Path.Combine(root, "dir", "lines.txt"), lines.ToString());
        File.WriteAllBytes(Path.Combine(dir, "small.bin"), Random(1000, seed + 1));
        Directory.CreateDirectory(Path.Combine(root, "empty-dir"));
        File.WriteAllText(Path.Combine(root, "ä-üñ€ emoji😀 a&b<c>"), "unicode name\n");
        File.WriteAllText(Path.Combine(root, "tab\there"), "tab in name\n");
        var script = Path.Combine(root, "dir", "script.sh");
        File.WriteAllText(script, "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        File.CreateSymbolicLink(Path.Combine(root, "link"), "hello.txt");
        File.CreateSymbolicLink(Path.Combine(root, "dir", "dangling"), "../does/not/exist");
    }

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
