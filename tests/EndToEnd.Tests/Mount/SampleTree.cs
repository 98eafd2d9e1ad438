using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace StashMount.EndToEnd.Tests.Mount;

/// <summary>The source tree the mount tests back up (files, modes, times, symlinks, hardlinks, an xattr) and the checks on copies of it.</summary>
internal static partial class SampleTree
{
    public static bool HasXattr { get; private set; }

    public static void Create(string root, byte[] big)
    {
        File.WriteAllText(Path.Combine(root, "hello.txt"), "hello, mount\n");
        File.WriteAllBytes(Path.Combine(root, "big.bin"), big);
        File.WriteAllBytes(Path.Combine(root, "empty"), []);
        var script = Path.Combine(root, "run.sh");
        File.WriteAllText(script, "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        var secret = Path.Combine(root, "secret");
        File.WriteAllText(secret, "s");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead);
        var sub = Directory.CreateDirectory(Path.Combine(root, "sub")).FullName;
        File.WriteAllText(Path.Combine(sub, "deep.txt"), "deep\n");
        File.CreateSymbolicLink(Path.Combine(root, "link-to-hello"), "hello.txt");
        File.CreateSymbolicLink(Path.Combine(sub, "dangling"), "../nowhere");
        File.WriteAllText(Path.Combine(root, "hard-a"), "shared\n");
        if (Link(Path.Combine(root, "hard-a"), Path.Combine(sub, "hard-b")) != 0)
            throw new IOException("link() failed");
        var set = Process.Start("setfattr", ["-n", "user.note", "-v", "kept", Path.Combine(root, "hello.txt")]);
        set!.WaitForExit();
        HasXattr = set.ExitCode == 0;
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
            if (new FileInfo(path).LinkTarget is null)
                File.SetLastWriteTimeUtc(path, new DateTime(2023, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567));
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string created);

    /// <summary>Same names, types, modes, sizes, mtimes (to the microsecond) and link targets below both roots.</summary>
    public static void AssertSameAttributes(string expectedRoot, string actualRoot)
    {
        var expected = Describe(expectedRoot);
        var actual = Describe(actualRoot);
        Assert.Equal(expected, actual);
    }

    private static string Describe(string root)
    {
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            var relative = Path.GetRelativePath(root, path);
            var kind = info.LinkTarget != null ? "link->" + info.LinkTarget : Directory.Exists(path) ? "dir" : "file " + info.Length;
            var mtime = info.LinkTarget != null ? "" : File.GetLastWriteTimeUtc(path).Ticks / 10 + "";
            var mode = info.LinkTarget != null ? "" : File.GetUnixFileMode(path).ToString("D");
            lines.Add($"{relative} {kind} {mode} {(Directory.Exists(path) ? "" : mtime)}");
        }
        return string.Join('\n', lines);
    }

    public static bool SameInode(string a, string b) => Inode(a) == Inode(b) && Inode(a) != 0;

    private static ulong Inode(string path)
    {
        var result = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var text = result.StandardOutput.ReadToEnd();
        result.WaitForExit();
        return ulong.TryParse(text.Trim(), out var inode) ? inode : 0;
    }
}
