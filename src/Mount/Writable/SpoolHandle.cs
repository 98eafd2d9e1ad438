namespace StashMount.Mount.Writable;

/// <summary>An open file of <c>new/</c>: the spool file's descriptor and whether it was opened for writing.</summary>
internal sealed class SpoolHandle(SpoolNode node, int descriptor, bool writable, string? openedAs = null)
{
    /// <summary>The path reported to the spool at open, reported again at close if the file has no name by then.</summary>
    public string? OpenedAs { get; } = openedAs;

    public SpoolNode Node { get; } = node;

    public int Descriptor { get; } = descriptor;

    public bool Writable { get; } = writable;

    /// <summary>
    /// Held while the descriptor is closed and while another request borrows it (a utimes or setxattr of the file
    /// by its name, cp -a's, done on an open descriptor of it instead of walking the path twice): a borrowed
    /// number must not be closed, and maybe given to another file, under the borrower.
    /// </summary>
    public Lock Gate { get; } = new();

    /// <summary>The descriptor was closed (under <see cref="Gate"/>).</summary>
    public bool Closed { get; set; }

    /// <summary>Set for a file this handle created write-only: told every write (see <see cref="LiveIngestion"/>).</summary>
    public LiveIngestion? Live { get; set; }
}
