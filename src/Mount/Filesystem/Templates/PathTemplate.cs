using System.Text;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Filesystem.Templates;

/// <summary>
/// A restic 0.14 --path-template: "hosts/%h/%T" puts each snapshot at hosts/&lt;hostname&gt;/&lt;time&gt;. %i short ID,
/// %I full ID, %u user, %h host, %t tag (one path per tag; none when the snapshot has no tag), %T the time as
/// --time-template formats it; '%' before any other character stands for that character. When %T ends the
/// template, the time is the snapshot's own name in a listing of times (which then gets a "latest" link).
/// </summary>
public static class PathTemplate
{
    /// <summary>restic's defaults, used when no --path-template is given.</summary>
    public static readonly IReadOnlyList<string> Defaults = ["ids/%i", "snapshots/%T", "hosts/%h/%T", "tags/%t/%T"];

    /// <summary>The paths (without the trailing time) and the time name when %T ends the template ("" otherwise).</summary>
    public static (IReadOnlyList<string> Paths, string TimeName) Expand(string template, string timeText, Snapshot snapshot)
    {
        var outputs = new List<StringBuilder> { new() };
        var inVerb = false;
        var timePending = false;
        foreach (var c in template)
        {
            if (timePending)
            {
                Append(outputs, timeText);
                timePending = false;
            }
            if (!inVerb)
            {
                if (c == '%')
                    inVerb = true;
                else
                    Append(outputs, c.ToString());
                continue;
            }
            inVerb = false;
            switch (c)
            {
                case 'T':
                    timePending = true; // written before the next character, or returned as the name
                    break;
                case 't' when snapshot.Tags.Count == 0:
                    return ([], "");
                case 't' when snapshot.Tags.Count == 1:
                    Append(outputs, snapshot.Tags[0]);
                    break;
                case 't':
                    outputs = [.. snapshot.Tags.SelectMany(tag => outputs.Select(o => new StringBuilder(o.ToString()).Append(TagName(tag))))];
                    break;
                case 'i':
                    Append(outputs, snapshot.ShortId);
                    break;
                case 'I':
                    Append(outputs, snapshot.Id.ToString());
                    break;
                case 'u':
                    Append(outputs, snapshot.Username);
                    break;
                case 'h':
                    Append(outputs, snapshot.Hostname);
                    break;
                default:
                    Append(outputs, c.ToString());
                    break;
            }
        }
        return ([.. outputs.Select(o => o.ToString())], timePending ? timeText : "");
    }

    /// <summary>The folder part before the first placeholder ("hosts" for "hosts/%h/%T"): shown even with no snapshots.</summary>
    public static string StaticPrefix(string template)
    {
        var inVerb = false;
        for (var i = 0; i < template.Length; i++)
        {
            if (!inVerb)
            {
                inVerb = template[i] == '%';
                continue;
            }
            inVerb = false;
            if (template[i] is 'i' or 'I' or 'u' or 'h' or 't' or 'T')
            {
                var slash = template.LastIndexOf('/', i);
                return slash < 0 ? "" : template[..slash];
            }
        }
        return "";
    }

    /// <summary>A tag as a name when a snapshot has several: "", "." → "_", ".." → "__", '/' → '_'.</summary>
    public static string TagName(string tag) => tag switch
    {
        "" or "." => "_",
        ".." => "__",
        _ => tag.Replace('/', '_'),
    };

    private static void Append(List<StringBuilder> outputs, string text)
    {
        foreach (var output in outputs)
            output.Append(text);
    }
}
