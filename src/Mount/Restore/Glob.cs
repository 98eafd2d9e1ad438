namespace StashMount.Mount.Restore;

/// <summary>Shell-style matching of one path component: "*", "?", "[abc]", "[a-z]", "[^a]" and "\" escapes.</summary>
public static class Glob
{
    public static bool Matches(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (pattern.Length > 0)
        {
            switch (pattern[0])
            {
                case '*':
                    pattern = pattern.TrimStart('*');
                    if (pattern.Length == 0)
                        return true;
                    for (var i = 0; i <= name.Length; i++)
                        if (Match(pattern, name[i..]))
                            return true;
                    return false;
                case '?':
                    if (name.Length == 0) return false;
                    pattern = pattern[1..];
                    name = name[1..];
                    break;
                case '[':
                    if (name.Length == 0 || !MatchClass(ref pattern, name[0])) return false;
                    name = name[1..];
                    break;
                case '\\' when pattern.Length > 1:
                    if (name.Length == 0 || name[0] != pattern[1]) return false;
                    pattern = pattern[2..];
                    name = name[1..];
                    break;
                default:
                    if (name.Length == 0 || name[0] != pattern[0]) return false;
                    pattern = pattern[1..];
                    name = name[1..];
                    break;
            }
        }
        return name.Length == 0;
    }

    /// <summary>Matches a "[...]" class at the start of <paramref name="pattern"/> and moves past it.</summary>
    private static bool MatchClass(ref ReadOnlySpan<char> pattern, char c)
    {
        var i = 1;
        var negate = i < pattern.Length && pattern[i] == '^';
        if (negate) i++;
        var matched = false;
        var first = true;
        while (i < pattern.Length && (pattern[i] != ']' || first))
        {
            first = false;
            var lo = pattern[i] == '\\' && i + 1 < pattern.Length ? pattern[++i] : pattern[i];
            i++;
            var hi = lo;
            if (i + 1 < pattern.Length && pattern[i] == '-' && pattern[i + 1] != ']')
            {
                hi = pattern[i + 1] == '\\' && i + 2 < pattern.Length ? pattern[i + 2] : pattern[i + 1];
                i += pattern[i + 1] == '\\' ? 3 : 2;
            }
            if (lo <= c && c <= hi) matched = true;
        }
        // An unterminated class matches nothing (Go reports it as a bad pattern).
        if (i >= pattern.Length)
        {
            pattern = [];
            return false;
        }
        pattern = pattern[(i + 1)..];
        return matched != negate;
    }
}
