using System.Security.Cryptography;
using System.Text;

namespace StashMount.TestSupport;

/// <summary>
/// A folder tree captured attribute by attribute (type, mode, owner, mtime and atime in ns, size, content hash,
/// symlink target, device number, xattrs, hard-link group) as sorted text lines, so two restores compare with one
/// Assert.Equal whose diff shows exactly which path and attribute differ.
/// </summary>
public static class TreeCapture
{
    public sealed record Options(bool DirectoryTimes = true, bool AccessTimes = true, Func<string, bool>? Include = null);

    /// <summary>One line per entry below <paramref name="root"/> (root itself excluded), sorted by path.</summary>
    public static List<string> Capture(string root, Options? options = null)
    {
        options ??= new Options();
        // Stat everything before reading any content: reading a hard-linked file moves the atime its other names show.
        var stats = new List<(string Path, string Full, FileStatus Status)>();
        Walk(root, "", options, stats);
        var entries = stats.Select(e => (e.Path, e.Status, Line: Describe(e.Path, e.Full, e.Status, options))).ToList();
        // Hard-link groups: every path sharing an inode (with more than one link) names the group's first path.
        var groups = entries.Where(e => e.Status.Type != FileStatus.Directory && e.Status.Links > 1)
            .GroupBy(e => e.Status.Inode)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Path).Order(StringComparer.Ordinal).First());
        return entries
            .Select(e => e.Line + (groups.TryGetValue(e.Status.Inode, out var first) && e.Status.Type != FileStatus.Directory ? $" link={first}" : ""))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static void Walk(string root, string relative, Options options, List<(string, string, FileStatus)> entries)
    {
        var full = relative.Length == 0 ? root : Path.Join(root, relative);
        foreach (var child in Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var childRelative = relative.Length == 0 ? child! : relative + "/" + child;
            var childFull = Path.Join(root, childRelative);
            // Stat before anything reads the entry, so reading it cannot move its atime first.
            var status = FileStatus.Of(childFull);
            if (options.Include is null || options.Include(childRelative))
                entries.Add((childRelative, childFull, status));
            if (status.Type == FileStatus.Directory)
                Walk(root, childRelative, options, entries);
        }
    }

    private static string Describe(string relative, string full, FileStatus s, Options options)
    {
        var line = new StringBuilder();
        line.Append(Escape(relative)).Append($" mode={Convert.ToString(s.Mode, 8)} uid={s.Uid} gid={s.Gid}");
        var isDirectory = s.Type == FileStatus.Directory;
        if (!isDirectory || options.DirectoryTimes)
        {
            line.Append($" mtime={s.MtimeSeconds}.{s.MtimeNanoseconds:D9}");
            if (options.AccessTimes && s.Type != FileStatus.Symlink)
                line.Append($" atime={s.AtimeSeconds}.{s.AtimeNanoseconds:D9}");
        }
        switch (s.Type)
        {
            case FileStatus.Regular:
                line.Append($" size={s.Size} sha256={Hash(full)}");
                break;
            case FileStatus.Symlink:
                line.Append($" target={Escape(new FileInfo(full).LinkTarget ?? "")}");
                break;
            case FileStatus.CharDevice or FileStatus.BlockDevice:
                line.Append($" rdev={s.RdevMajor}:{s.RdevMinor}");
                break;
        }
        foreach (var (name, value) in FileStatus.ExtendedAttributes(full))
            line.Append($" xattr:{name}={Convert.ToBase64String(value)}");
        return line.ToString();
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\n", "\\n").Replace(" ", "\\x20");
}
