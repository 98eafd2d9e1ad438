namespace StashMount.Mount.Commands;

/// <summary>
/// Which nodes <c>ls</c> prints for the given dirs: with none, everything; otherwise each dir itself and its
/// direct children (everything below with recursive), descending only where a dir can still be reached.
/// </summary>
internal sealed class LsSelection(IReadOnlyList<string> dirs, bool recursive)
{
    public bool Prints(string path)
    {
        if (dirs.Count == 0)
            return true;
        foreach (var dir in dirs)
        {
            if (path == dir)
                return true;
            if (!IsBelow(path, dir))
                continue;
            if (recursive || path.LastIndexOf('/') == dir.Length || (dir == "/" && path.LastIndexOf('/') == 0))
                return true;
        }
        return false;
    }

    public bool Descends(string path)
    {
        if (dirs.Count == 0)
            return true;
        foreach (var dir in dirs)
            if (path == dir || IsBelow(dir, path) || (recursive && IsBelow(path, dir)))
                return true;
        return false;
    }

    private static bool IsBelow(string path, string ancestor) =>
        ancestor == "/" ? path.Length > 1 : path.Length > ancestor.Length && path[ancestor.Length] == '/' && path.StartsWith(ancestor, StringComparison.Ordinal);
}
