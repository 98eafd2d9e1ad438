namespace StashMount.Mount.Writable;

/// <summary>What the journal says about the spool after a replay.</summary>
internal sealed class JournalState
{
    /// <summary>Per inode: the last event was an open for writing without the matching close.</summary>
    public HashSet<ulong> OpenAtEnd { get; } = [];

    /// <summary>Per inode: the ingested version (only when no open came after it).</summary>
    public Dictionary<ulong, IngestedFile> Ingested { get; } = [];

    /// <summary>The boot (kernel boot_id) of the daemon that wrote the journal last, if it said.</summary>
    public string? BootId { get; set; }

    /// <summary>
    /// Per inode: closed after the last durable point (an <c>s</c> record), with the offset of that close. After a
    /// reboot their data may not have reached the disk; in the same boot the page cache still holds it.
    /// </summary>
    public Dictionary<ulong, long> ClosedSinceSync { get; } = [];

    /// <summary>A snapshot of the tree was being uploaded (killed during a commit: it may or may not have landed).</summary>
    public string? PendingSnapshot { get; set; }

    /// <summary>A snapshot was saved but the tree was not emptied yet (killed during a commit).</summary>
    public string? CommittedSnapshot { get; set; }
}
