namespace StashMount.Mount.Writable;

/// <summary>What the journal says about the spool after a replay.</summary>
internal sealed class JournalState
{
    /// <summary>Per inode: the last event was an open for writing without the matching close.</summary>
    public HashSet<ulong> OpenAtEnd { get; } = [];

    /// <summary>Per inode: the ingested version (only when no open came after it).</summary>
    public Dictionary<ulong, IngestedFile> Ingested { get; } = [];

    /// <summary>A snapshot was saved but the tree was not emptied yet (killed during a commit).</summary>
    public string? CommittedSnapshot { get; set; }
}
