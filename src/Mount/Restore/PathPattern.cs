namespace StashMount.Mount.Restore;

/// <summary>
/// One of restic's include/exclude patterns, matched component by component against a path inside the
/// snapshot ("/data/sub/f"). A pattern starting with "/" is anchored at the root; any other pattern may match
/// at any depth. "**" spans any number of components; within a component "*", "?" and "[...]" work as in
/// shell globs. A pattern that matches a directory matches everything below it.
/// </summary>
public sealed class PathPattern
{
    private readonly string[] _parts;

    public PathPattern(string pattern)
    {
        Text = pattern;
        var parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!pattern.StartsWith('/'))
            parts.Insert(0, "**");
        _parts = [.. parts];
    }

    public string Text { get; }

    /// <summary>The pattern matches the path or one of its parent directories.</summary>
    public bool Matches(string path) => MatchFrom(0, Components(path), 0, prefixOfPath: false);

    /// <summary>Something below <paramref name="path"/> could match, so a restore must look inside it.</summary>
    public bool MayMatchBelow(string path) => MatchFrom(0, Components(path), 0, prefixOfPath: true);

    private static string[] Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <param name="prefixOfPath">When the path runs out before the pattern, count that as a possible match deeper down.</param>
    private bool MatchFrom(int p, string[] path, int s, bool prefixOfPath)
    {
        if (p == _parts.Length)
            return true;
        if (s == path.Length)
            return prefixOfPath || _parts.Skip(p).All(x => x == "**");
        if (_parts[p] == "**")
        {
            for (var skip = s; skip <= path.Length; skip++)
                if (MatchFrom(p + 1, path, skip, prefixOfPath))
                    return true;
            return false;
        }
        return Glob.Matches(_parts[p], path[s]) && MatchFrom(p + 1, path, s + 1, prefixOfPath);
    }
}
