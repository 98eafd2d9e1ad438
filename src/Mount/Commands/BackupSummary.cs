using System.Globalization;
using StashMount.Mount.Cli;
using StashMount.Repository.Archiver;

namespace StashMount.Mount.Commands;

/// <summary>The end-of-backup report, as restic prints it: text lines, or the --json "summary" message.</summary>
internal static class BackupSummary
{
    public static void WriteText(TextWriter output, BackupResult result)
    {
        var f = result.Files;
        if (result.ParentId is { } parent)
            output.WriteLine($"using parent snapshot {parent.ToShortString()}");
        output.WriteLine($"Files:       {f.FilesNew,5} new, {f.FilesChanged,5} changed, {f.FilesUnmodified,5} unmodified");
        output.WriteLine($"Dirs:        {f.DirsNew,5} new, {f.DirsChanged,5} changed, {f.DirsUnmodified,5} unmodified");
        output.WriteLine($"Added to the repository: {Size(result.Blobs.DataAdded)} ({Size(result.Blobs.DataAddedPacked)} stored)");
        output.WriteLine();
        output.WriteLine($"processed {f.TotalFilesProcessed} files, {Size(f.TotalBytesProcessed)} in {(int)result.Duration.TotalMinutes}:{result.Duration.Seconds:00}");
        output.WriteLine($"snapshot {result.SnapshotId.ToShortString()} saved");
    }

    public static async Task WriteJsonAsync(CommandContext context, BackupResult result, CancellationToken cancellationToken)
    {
        var f = result.Files;
        var stream = context.BinaryOutput;
        await using (var json = JsonOutput.CreateWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("message_type", "summary");
            json.WriteNumber("files_new", f.FilesNew);
            json.WriteNumber("files_changed", f.FilesChanged);
            json.WriteNumber("files_unmodified", f.FilesUnmodified);
            json.WriteNumber("dirs_new", f.DirsNew);
            json.WriteNumber("dirs_changed", f.DirsChanged);
            json.WriteNumber("dirs_unmodified", f.DirsUnmodified);
            json.WriteNumber("data_blobs", result.Blobs.DataBlobs);
            json.WriteNumber("tree_blobs", result.Blobs.TreeBlobs);
            json.WriteNumber("data_added", result.Blobs.DataAdded);
            json.WriteNumber("data_added_packed", result.Blobs.DataAddedPacked);
            json.WriteNumber("total_files_processed", f.TotalFilesProcessed);
            json.WriteNumber("total_bytes_processed", f.TotalBytesProcessed);
            json.WriteNumber("total_duration", Math.Round(result.Duration.TotalSeconds, 6));
            json.WriteString("snapshot_id", result.SnapshotId.ToString());
            json.WriteEndObject();
        }
        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>restic's FormatBytes: binary units with three decimals.</summary>
    private static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString("0.000", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
