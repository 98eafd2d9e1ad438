using System.Text.Json;

namespace StashMount.EndToEnd.Tests.Writer;

/// <summary>The "summary" line of a --json backup, from stashmount or restic.</summary>
internal sealed record BackupSummaryJson(string SnapshotId, long DataBlobs, long TreeBlobs, long DataAdded, long FilesNew, long FilesUnmodified)
{
    public static BackupSummaryJson Parse(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            if (!line.Contains("\"summary\"", StringComparison.Ordinal))
                continue;
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            return new BackupSummaryJson(r.GetProperty("snapshot_id").GetString()!, r.GetProperty("data_blobs").GetInt64(), r.GetProperty("tree_blobs").GetInt64(),
                r.GetProperty("data_added").GetInt64(), r.GetProperty("files_new").GetInt64(), r.GetProperty("files_unmodified").GetInt64());
        }
        throw new InvalidOperationException("no summary line in: " + output);
    }
}
