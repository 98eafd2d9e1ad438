using StashMount.Mount.Fuse;

namespace StashMount.Mount.Filesystem.KubeStash;

/// <summary>
/// &lt;repository&gt;/&lt;session&gt;/&lt;component&gt;: opened on first lookup or listing (its Secret read, its restic
/// repository opened, index and snapshots loaded). A component that cannot be opened (missing Secret, wrong
/// password, unreachable storage) answers EIO with one log line per attempt; the next refresh lets it try again.
/// </summary>
internal sealed class ComponentDirectory(ulong inode, string name, MountNode parent, FuseTimestamp time,
    Func<VirtualDirectory, CancellationToken, Task<OpenedComponent>> open, Action<string> log) : DirectoryNode(inode, name, parent)
{
    private readonly Lock _lock = new();
    private Task<OpenedComponent>? _opening;

    public override bool IsVolatile => true;

    public override FuseAttributes Attributes => new()
    {
        Inode = Inode,
        Mode = FuseAttributes.Directory | 0x16D, // r-xr-xr-x
        Links = 1,
        AccessTime = time,
        ModificationTime = time,
        ChangeTime = time,
    };

    /// <summary>The component once opened successfully; null before that or after a failure.</summary>
    public OpenedComponent? Opened => _opening is { IsCompletedSuccessfully: true } task ? task.Result : null;

    public override async ValueTask<IReadOnlyList<NamedNode>> ChildrenAsync(CancellationToken cancellationToken) =>
        await (await OpenAsync().ConfigureAwait(false)).Root.ChildrenAsync(cancellationToken).ConfigureAwait(false);

    public override async ValueTask<MountNode?> LookupAsync(string name, CancellationToken cancellationToken) =>
        await (await OpenAsync().ConfigureAwait(false)).Root.LookupAsync(name, cancellationToken).ConfigureAwait(false);

    /// <summary>Forgets a failed attempt, so the next access tries again.</summary>
    public void ForgetFailure()
    {
        lock (_lock)
            if (_opening is { IsFaulted: true } or { IsCanceled: true })
                _opening = null;
    }

    private async Task<OpenedComponent> OpenAsync()
    {
        Task<OpenedComponent> opening;
        var first = false;
        lock (_lock)
        {
            if (_opening is null)
            {
                // Not tied to the first caller's request: an interrupted ls must not fail the open for everyone.
                _opening = open(new VirtualDirectory(0, Name, Parent), CancellationToken.None);
                first = true;
            }
            opening = _opening;
        }
        try
        {
            return await opening.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not FuseException)
        {
            if (first)
                log($"{Path}: cannot open this KubeStash component: {e.Message.ReplaceLineEndings(" ")}");
            throw new FuseException(Errno.EIO);
        }
    }
}
