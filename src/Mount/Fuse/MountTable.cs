namespace StashMount.Mount.Fuse;

/// <summary>Reads /proc/self/mountinfo: which paths are mount points and which device (major:minor) they are.</summary>
internal static class MountTable
{
    /// <summary>The major:minor of the filesystem mounted exactly at <paramref name="path"/>, or null.</summary>
    public static string? DeviceOf(string path)
    {
        string? device = null;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options ...
            var fields = line.Split(' ');
            if (fields.Length > 4 && Unescape(fields[4]) == path)
                device = fields[2]; // the last one wins: it is the mount on top
        }
        return device;
    }

    public static bool IsMountPoint(string path) => DeviceOf(path) != null;

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
            return field;
        var chars = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                chars.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                chars.Append(field[i]);
            }
        }
        return chars.ToString();
    }

    private static bool IsOctal(string s, int at) =>
        at + 3 <= s.Length && s[at] is >= '0' and <= '7' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
