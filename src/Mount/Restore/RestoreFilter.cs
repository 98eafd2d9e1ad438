namespace StashMount.Mount.Restore;

/// <summary>
/// Decides, as restic restore does, whether a node is restored (some include matches, no exclude matches) and
/// whether a directory must be entered because something below it may be included.
/// </summary>
public sealed class RestoreFilter(IReadOnlyList<PathPattern> includes, IReadOnlyList<PathPattern> excludes)
{
    public static RestoreFilter Create(IEnumerable<string>? includes, IEnumerable<string>? excludes) =>
        new([.. (includes ?? []).Select(p => new PathPattern(p))], [.. (excludes ?? []).Select(p => new PathPattern(p))]);

    public bool IsSelected(string path) =>
        (includes.Count == 0 || includes.Any(p => p.Matches(path))) && !excludes.Any(p => p.Matches(path));

    public bool MayHaveSelectedChildren(string path) =>
        !excludes.Any(p => p.Matches(path)) && (includes.Count == 0 || includes.Any(p => p.MayMatchBelow(path)));
}
