using System.Text;

namespace StashMount.Backends;

/// <summary>
/// Lexical clean-up of '/'-separated object paths with the same rules restic applies to prefixes (Go's
/// path.Clean), so "a//b/./c/" and "a/b/c" address the same objects here as they do for restic.
/// </summary>
internal static class SlashPath
{
    public static string Clean(string path)
    {
        if (path.Length == 0)
            return ".";
        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                    parts.RemoveAt(parts.Count - 1);
                else if (!rooted)
                    parts.Add(part);
                continue;
            }
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        if (rooted)
            return "/" + joined;
        return joined.Length == 0 ? "." : joined;
    }

    /// <summary>Clean, then drop the leading '/' and treat "." as no prefix: the form object keys are built from.</summary>
    public static string Prefix(string path)
    {
        var clean = Clean(path).TrimStart('/');
        return clean == "." ? "" : clean;
    }

    /// <summary>Joins a prefix and a relative path into an object key (no leading '/').</summary>
    public static string Join(string prefix, string relative) =>
        prefix.Length == 0 ? relative : new StringBuilder(prefix.Length + 1 + relative.Length).Append(prefix).Append('/').Append(relative).ToString();
}
