using System.Diagnostics;

namespace StashMount.TestSupport;

/// <summary>
/// Writes a folder with every kind of entry a restore must reproduce: names with unicode, spaces, newlines and
/// backslashes; empty and 12 MiB files; odd modes (setuid, sticky, read-only); symlinks (dangling too); hard links;
/// a fifo; a character device (as root); xattrs; foreign owners (as root); deep nesting and a 2000-entry folder.
/// Content is seeded, so two calls give the same bytes.
/// </summary>
public static class SampleTree
{
    public static bool IsRoot => Environment.UserName == "root";

    public static void Create(string root, int bigFileBytes = 12 * 1024 * 1024, int manyEntries = 2000)
    {
        var random = new Random(1234);
        Directory.CreateDirectory(root);
        Write(Path.Join(root, "plain.txt"), "hello restic\n"u8.ToArray());
        Write(Path.Join(root, "empty"), []);
        Write(Path.Join(root, "grüße 日本語.txt"), "unicode\n"u8.ToArray());
        Write(Path.Join(root, "with space"), "space\n"u8.ToArray());
        Write(Path.Join(root, "new\nline"), "newline\n"u8.ToArray());
        Write(Path.Join(root, "back\\slash"), "backslash\n"u8.ToArray());
        var big = new byte[bigFileBytes];
        random.NextBytes(big);
        // A repeated stretch, so the file shares blobs with itself (one blob written to two places).
        if (big.Length >= 6 * 1024 * 1024)
            big.AsSpan(0, 2 * 1024 * 1024).CopyTo(big.AsSpan(4 * 1024 * 1024));
        Write(Path.Join(root, "big.bin"), big);

        var modes = Directory.CreateDirectory(Path.Join(root, "modes")).FullName;
        Write(Path.Join(modes, "setuid"), "x"u8.ToArray());
        File.SetUnixFileMode(Path.Join(modes, "setuid"), (UnixFileMode)0x9ED); // 04755
        Write(Path.Join(modes, "readonly"), "r"u8.ToArray());
        File.SetUnixFileMode(Path.Join(modes, "readonly"), (UnixFileMode)0x124); // 0444
        Write(Path.Join(modes, "private"), "p"u8.ToArray());
        File.SetUnixFileMode(Path.Join(modes, "private"), (UnixFileMode)0x180); // 0600
        var sticky = Directory.CreateDirectory(Path.Join(modes, "sticky")).FullName;
        File.SetUnixFileMode(sticky, (UnixFileMode)0x3FF); // 01777

        var links = Directory.CreateDirectory(Path.Join(root, "links")).FullName;
        File.CreateSymbolicLink(Path.Join(links, "to-plain"), "../plain.txt");
        File.CreateSymbolicLink(Path.Join(links, "dangling"), "does/not/exist");
        File.CreateSymbolicLink(Path.Join(links, "to-dir"), "../modes");
        Write(Path.Join(links, "hard-a"), "shared inode\n"u8.ToArray());
        Run("ln", Path.Join(links, "hard-a"), Path.Join(links, "hard-b"));
        Run("ln", Path.Join(links, "hard-a"), Path.Join(modes, "hard-c"));

        var special = Directory.CreateDirectory(Path.Join(root, "special")).FullName;
        Run("mkfifo", Path.Join(special, "fifo"));
        Write(Path.Join(special, "xattrs"), "with attributes\n"u8.ToArray());
        Run("setfattr", "-n", "user.color", "-v", "blue", Path.Join(special, "xattrs"));
        Run("setfattr", "-n", "user.binary", "-v", "0x00ff10", Path.Join(special, "xattrs"));
        Run("setfattr", "-n", "user.dir", "-v", "yes", special);
        if (IsRoot)
        {
            // A container without CAP_MKNOD refuses; then the tree simply has no device node.
            TryRun("mknod", Path.Join(special, "null-device"), "c", "1", "3");
            Write(Path.Join(special, "foreign-owner"), "owned\n"u8.ToArray());
            Run("chown", "1234:5678", Path.Join(special, "foreign-owner"));
            Run("chown", "-h", "4321:8765", Path.Join(links, "to-plain"));
        }

        var deep = root;
        for (var i = 0; i < 30; i++)
            deep = Directory.CreateDirectory(Path.Join(deep, $"level{i:00}")).FullName;
        Write(Path.Join(deep, "bottom.txt"), "deep\n"u8.ToArray());

        var many = Directory.CreateDirectory(Path.Join(root, "many")).FullName;
        for (var i = 0; i < manyEntries; i++)
        {
            var content = new byte[random.Next(0, 300)];
            random.NextBytes(content);
            Write(Path.Join(many, $"f{i:0000}"), content);
        }
        // Distinct nanosecond mtimes, set last (creating children moves a folder's mtime).
        Run("touch", "-h", "-d", "2021-03-04 05:06:07.123456789", Path.Join(root, "plain.txt"));
        Run("touch", "-h", "-d", "1999-12-31 23:59:59.000000001", Path.Join(links, "dangling"));
        Run("touch", "-d", "2030-01-01 00:00:00.5", modes);
    }

    private static void Write(string path, byte[] content) => File.WriteAllBytes(path, content);

    private static void TryRun(string file, params string[] arguments)
    {
        try { Run(file, arguments); } catch (InvalidOperationException) { }
    }

    private static void Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error}");
    }
}
