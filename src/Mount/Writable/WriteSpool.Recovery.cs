using StashMount.Repository.Archiver;

namespace StashMount.Mount.Writable;

public sealed partial class WriteSpool
{
    /// <summary>
    /// Picks up where a killed daemon stopped: a commit whose snapshot was saved gets its tree emptied; files that
    /// were open for writing at the kill go to <c>incomplete/</c> (their data may be half-written); every other
    /// file is kept with its ingested content if that version was ingested, else queued for ingestion.
    /// </summary>
    private void Recover(JournalState state)
    {
        if (state.CommittedSnapshot is { } snapshot)
        {
            _options.Log($"finishing the commit of snapshot {snapshot[..Math.Min(8, snapshot.Length)]} interrupted before the spool was emptied");
            _directory.EmptyTree();
            _journal.Reset();
            return;
        }
        var batch = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        // After a reboot (a power loss), files closed after the last durable sync may have lost data the page cache held.
        var rebooted = state.BootId is { } boot && CurrentBoot is { } now && boot != now;
        var files = new List<(string Full, FileStatus Status)>();
        CollectFiles(TreeRoot, files);
        foreach (var (full, status) in files)
        {
            if (state.OpenAtEnd.Contains(status.Inode))
            {
                var target = _directory.MoveToIncomplete(full, batch);
                _options.Log($"{Path.GetRelativePath(TreeRoot, full)} was open for writing when stashmount stopped: not committed, kept as {target}");
                continue;
            }
            if (rebooted && state.ClosedSinceSync.ContainsKey(status.Inode))
            {
                var target = _directory.MoveToIncomplete(full, batch);
                _options.Log($"{Path.GetRelativePath(TreeRoot, full)} was closed just before the machine went down and may not have reached the disk: not committed, kept as {target}");
                continue;
            }
            if (state.Ingested.TryGetValue(status.Inode, out var ingested) && ingested.Matches(status))
                _ingested[status.Inode] = ingested;
            else
                Enqueue(Path.GetRelativePath(TreeRoot, full));
        }
        if (files.Count > 0)
            _options.Log($"spool {_directory.Path}: {files.Count} files from an earlier run will be committed");
    }

    private static void CollectFiles(string directory, List<(string, FileStatus)> files)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            var status = DirectoryArchiver.Stat(entry);
            if (status.IsDirectory)
                CollectFiles(entry, files);
            else if (status.IsRegular)
                files.Add((entry, status));
        }
    }
}
