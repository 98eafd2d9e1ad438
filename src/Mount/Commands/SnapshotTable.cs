using System.Globalization;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Commands;

/// <summary>The text table of <c>snapshots</c>, laid out as restic's: one row per snapshot, extra paths on extra rows.</summary>
internal static class SnapshotTable
{
    public static void Write(TextWriter output, IReadOnlyList<Snapshot> snapshots)
    {
        var hostWidth = Math.Max(10, snapshots.Select(s => s.Hostname.Length).DefaultIfEmpty(0).Max());
        var tagWidth = Math.Max(10, snapshots.Select(s => string.Join(",", s.Tags).Length).DefaultIfEmpty(0).Max());
        string Row(string id, string time, string host, string tags, string path) =>
            $"{id,-8}  {time,-19}  {host.PadRight(hostWidth)}  {tags.PadRight(tagWidth)}  {path}".TrimEnd();
        var header = Row("ID", "Time", "Host", "Tags", "Paths");
        var rule = new string('-', Math.Max(header.Length, 72));
        output.WriteLine(header);
        output.WriteLine(rule);
        foreach (var s in snapshots)
        {
            var time = s.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var paths = s.Paths.Count == 0 ? [""] : s.Paths;
            output.WriteLine(Row(s.ShortId, time, s.Hostname, string.Join(",", s.Tags), paths[0]));
            foreach (var path in paths.Skip(1))
                output.WriteLine(Row("", "", "", "", path));
        }
        output.WriteLine(rule);
        output.WriteLine($"{snapshots.Count} snapshots");
    }
}
