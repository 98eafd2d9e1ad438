using StashMount.Repository;
using StashMount.Repository.Snapshots;
using StashMount.Repository.Index;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Restore;

/// <summary>
/// Walks the snapshot's trees once and lays out the restore on disk: directories (0700 until their metadata
/// is set at the end), empty pre-sized files, hard links, symlinks, fifos and device nodes. Hands each file's blobs
/// to the content restorer as it goes, so content is fetched pack by pack while the walk goes on.
/// </summary>
public sealed class RestorePlanner(ResticRepository repository, string target, RestoreFilter filter, RestoreErrors errors,
    ContentRestorer content, RestoreProgress progress)
{
    private const UnixFileMode NewDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly RestorePlan _plan = new();
    private readonly Dictionary<(ulong Device, ulong Inode), RestoreItem> _hardLinks = [];
    // Directories being walked: restic also restores the metadata of a directory that was not selected itself
    // when something below it was restored, so each frame records whether that happened.
    private readonly Stack<(bool Selected, bool RestoredBelow)> _open = new();
    // Parents already made during this walk: one mkdir per directory, not one per restored entry.
    private readonly Dictionary<string, NewFileDefaults> _madeDirectories = new(StringComparer.Ordinal);
    private readonly MetadataRestorer _metadata = new(errors);

    public async Task<RestorePlan> PlanAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        await TreeWalker.WalkAsync(repository, snapshot.Tree, "/", Enter, Leave, cancellationToken).ConfigureAwait(false);
        return _plan;
    }

    public string TargetPathOf(string snapshotPath) => Path.Join(target, snapshotPath.TrimStart('/'));

    private ValueTask<TreeWalker.Step> Enter(string path, Node node)
    {
        var selected = filter.IsSelected(path);
        if (node.Type == NodeType.Dir)
        {
            if (selected)
            {
                var item = new RestoreItem(path, TargetPathOf(path), node);
                try
                {
                    Directory.CreateDirectory(item.TargetPath, NewDirectoryMode);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    errors.Report(item, e.Message);
                    return ValueTask.FromResult(TreeWalker.Step.Skip);
                }
                MarkRestored();
                _open.Push((true, false));
                // The walk now waits for this directory's tree: the readers get what was found so far.
                content.Flush();
                return ValueTask.FromResult(TreeWalker.Step.Descend);
            }
            if (!filter.MayHaveSelectedChildren(path))
                return ValueTask.FromResult(TreeWalker.Step.Skip);
            _open.Push((false, false));
            content.Flush();
            return ValueTask.FromResult(TreeWalker.Step.Descend);
        }
        if (selected)
            Create(new RestoreItem(path, TargetPathOf(path), node));
        return ValueTask.FromResult(TreeWalker.Step.Skip);
    }

    private ValueTask Leave(string path, Node node)
    {
        var (selected, restoredBelow) = _open.Pop();
        if (selected || restoredBelow)
        {
            _plan.DirectoriesChildrenFirst.Add(new RestoreItem(path, TargetPathOf(path), node));
            MarkRestored();
        }
        return ValueTask.CompletedTask;
    }

    private void MarkRestored()
    {
        if (_open.TryPop(out var parent))
            _open.Push((parent.Selected, true));
    }

    private void Create(RestoreItem item)
    {
        var node = item.Node;
        try
        {
            // Parents of an included item that were not selected themselves are made as restic makes them: 0700.
            var parent = Path.GetDirectoryName(item.TargetPath)!;
            if (!_madeDirectories.TryGetValue(parent, out var defaults))
            {
                Directory.CreateDirectory(parent, NewDirectoryMode);
                _madeDirectories[parent] = defaults = NewFileDefaults.ForDirectory(parent);
            }
            item.Defaults = defaults;
            var errno = node.Type switch
            {
                NodeType.File => CreateFile(item),
                NodeType.Symlink => Replace(item.TargetPath, () => PosixCalls.Symlink(node.LinkTarget ?? "", item.TargetPath)),
                NodeType.Fifo => Replace(item.TargetPath, () => PosixCalls.MakeFifo(item.TargetPath, 0x180)),
                NodeType.CharDev => Replace(item.TargetPath, () => PosixCalls.MakeNode(item.TargetPath, 0x2000 | 0x180, node.Device)),
                NodeType.Dev => Replace(item.TargetPath, () => PosixCalls.MakeNode(item.TargetPath, 0x6000 | 0x180, node.Device)),
                // restic creates nothing for sockets and irregular files: they cannot be recreated from a backup.
                _ => -1,
            };
            if (errno > 0)
                errors.Report(item, $"cannot create {NodeTypeNames.ToName(node.Type)}: {PosixCalls.Describe(errno)}");
            if (errno == 0)
            {
                _plan.Items.Add(item);
                MarkRestored();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Report(item, e.Message);
        }
    }

    private int CreateFile(RestoreItem item)
    {
        var node = item.Node;
        var linkedTo = false;
        if (node.Links > 1)
        {
            var key = (node.DeviceId, node.Inode);
            if (_hardLinks.TryGetValue(key, out var first))
                return Replace(item.TargetPath, () => PosixCalls.Link(first.TargetPath, item.TargetPath));
            _hardLinks[key] = item;
            linkedTo = true;
        }
        _plan.FileCount++;
        _plan.TotalBytes += (long)node.Size;
        progress.TotalFiles = _plan.FileCount;
        progress.TotalBytes = _plan.TotalBytes;
        var blobs = new PackedBlob[node.Content.Count];
        for (var i = 0; i < blobs.Length; i++)
        {
            if (!repository.Index.TryGet(node.Content[i], BlobType.Data, out blobs[i]))
            {
                MakeFile(item, linkedTo);
                errors.Report(item, $"data blob {node.Content[i]} not found in index");
                return 0;
            }
        }
        if (blobs.Length == 0)
            return MakeFile(item, linkedTo);
        // A file others hard-link to must exist before the links; any other file is made by its first blob.
        if (linkedTo)
            MakeFile(item, linkedTo);
        item.Content = new TargetFile((long)node.Size, blobs.Length, alreadyCreated: linkedTo);
        content.Add(item, blobs);
        return 0;
    }

    /// <summary>Creates (or truncates) the file at its full size; an empty file that nothing links to gets its metadata right away.</summary>
    private int MakeFile(RestoreItem item, bool linkedTo)
    {
        var descriptor = PosixFileCalls.OpenForWrite(item.TargetPath, create: true);
        if (descriptor < 0)
            return -descriptor;
        var errno = item.Node.Size > 0 ? -PosixFileCalls.Truncate(descriptor, (long)item.Node.Size) : 0;
        if (errno == 0 && item.Node.Size == 0 && item.Node.Content.Count == 0 && !linkedTo)
            _metadata.Apply(item, descriptor);
        PosixFileCalls.Close(descriptor);
        return errno;
    }

    /// <summary>Runs a create call; if something is already at the path, removes it and tries once more.</summary>
    private static int Replace(string path, Func<int> create)
    {
        var errno = create();
        if (errno != 17) // EEXIST
            return errno;
        File.Delete(path);
        return create();
    }
}
