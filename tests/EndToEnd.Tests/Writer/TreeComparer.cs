using System.Diagnostics;

namespace StashMount.EndToEnd.Tests.Writer;

/// <summary>Asserts that a restored directory equals its source: names, kinds, bytes, modes, mtimes, link targets, xattrs.</summary>
internal static class TreeComparer
{
    public static void AssertSame(string expected, string actual)
    {
        var want = Entries(expected);
        var got = Entries(actual);
        Assert.Equal(want.Keys.Order(StringComparer.Ordinal), got.Keys.Order(StringComparer.Ordinal));
        foreach (var (relative, info) in want)
        {
            var other = got[relative];
            Assert.True(info.LinkTarget == other.LinkTarget, $"{relative}: link target {other.LinkTarget} != {info.LinkTarget}");
            if (info.LinkTarget != null)
                continue;
            Assert.True(info.UnixFileMode == other.UnixFileMode, $"{relative}: mode {other.UnixFileMode} != {info.UnixFileMode}");
            if (info is FileInfo file)
            {
                Assert.True(file.LastWriteTimeUtc == other.LastWriteTimeUtc, $"{relative}: mtime {other.LastWriteTimeUtc:O} != {file.LastWriteTimeUtc:O}");
                Assert.True(File.ReadAllBytes(file.FullName).AsSpan().SequenceEqual(File.ReadAllBytes(other.FullName)), $"{relative}: content differs");
                Assert.Equal(Xattrs(file.FullName), Xattrs(other.FullName));
            }
        }
    }

    private static Dictionary<string, FileSystemInfo> Entries(string root) =>
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .ToDictionary(e => Path.GetRelativePath(root, e.FullName), StringComparer.Ordinal);

    private static string Xattrs(string path)
    {
        var info = new ProcessStartInfo("getfattr") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-d", "--absolute-names", "-m", "-", path }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return string.Join('\n', output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')));
    }
}
