namespace StashMount.Mount.Writable;

public sealed partial class WriteSpool
{
    private SpoolFilePool? _pool;

    /// <summary>
    /// Empty files are made ahead (see <see cref="SpoolFilePool"/>) unless the spool's file system gives new files something of
    /// their own by where they are made (an SELinux label, a default ACL above the tree): those must be made in place.
    /// </summary>
    private void StartFilePool()
    {
        if (!_spoolAddsXattrs)
            _pool = new SpoolFilePool(TreeRoot);
    }

    public int TakeEmptyFile(string fullPath) => _pool?.Take(fullPath) ?? -1;
}
