using System.Text;
using System.Text.RegularExpressions;

namespace StashMount.Repository.Archiver;

/// <summary>
/// restic's --exclude patterns, reduced to their common forms: a pattern without '/' matches an entry's name
/// at any depth; a pattern with '/' matches the absolute path from the start (a leading '/' anchors, otherwise
/// it may match at any directory boundary). '*' and '?' stay within one path element, '**' spans elements.
/// </summary>
public sealed class ExcludeMatcher
{
    private readonly List<(Regex Pattern, bool NameOnly)> _patterns = [];

    public ExcludeMatcher(IEnumerable<string> patterns)
    {
        foreach (var raw in patterns)
        {
            var pattern = raw.TrimEnd('/');
            if (pattern.Length == 0)
                continue;
            var nameOnly = !pattern.Contains('/');
            var prefix = nameOnly ? "^" : pattern.StartsWith('/') ? "^" : "^(?:.*/)?";
            var body = Translate(pattern.TrimStart('/'));
            _patterns.Add((new Regex(prefix + (nameOnly ? body : "/?" + body) + (nameOnly ? "$" : "(?:/.*)?$"), RegexOptions.CultureInvariant), nameOnly));
            Patterns.Add(raw);
        }
    }

    public List<string> Patterns { get; } = [];

    public bool IsEmpty => _patterns.Count == 0;

    public bool IsExcluded(string absolutePath, string name)
    {
        foreach (var (pattern, nameOnly) in _patterns)
            if (pattern.IsMatch(nameOnly ? name : absolutePath))
                return true;
        return false;
    }

    private static string Translate(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.ToString();
    }
}
