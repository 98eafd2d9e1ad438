using Mono.Unix.Native;
using StashMount.Mount.Fuse;
using Errno = StashMount.Mount.Fuse.Errno;

namespace StashMount.Mount.Writable;

/// <summary>
/// The inodes of <c>new/</c> the kernel knows, by FUSE inode number and by (st_dev, st_ino). Numbers start at
/// <see cref="FirstInode"/>, far above the snapshot inodes, so one comparison tells which part an inode belongs to.
/// A node lives until the kernel forgets all its lookups; its (st_dev, st_ino) key is released as soon as its last
/// link is gone, so a new file that reuses the spool's inode number gets a new node.
/// </summary>
internal sealed class SpoolNodeTable
{
    public const ulong FirstInode = 1UL << 62;

    private readonly Dictionary<ulong, SpoolNode> _byInode = [];
    private readonly Dictionary<(ulong, ulong), SpoolNode> _byKey = [];
    private readonly Lock _lock = new();
    private ulong _last = FirstInode;

    public SpoolNodeTable()
    {
        Root = new SpoolNode(FirstInode, default, null, "") { IsRoot = true };
        _byInode[FirstInode] = Root;
    }

    public SpoolNode Root { get; }

    public static bool Owns(ulong inode) => inode >= FirstInode;

    public int Count
    {
        get { lock (_lock) return _byInode.Count; }
    }

    public SpoolNode Get(ulong inode)
    {
        lock (_lock)
            return _byInode.TryGetValue(inode, out var node) ? node : throw new FuseException(Errno.ENOENT);
    }

    /// <summary>The node for what lstat found at <paramref name="name"/> in <paramref name="parent"/>; counts one kernel lookup.</summary>
    public SpoolNode Remember(SpoolNode parent, string name, in Stat stat)
    {
        var key = (stat.st_dev, stat.st_ino);
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var node))
            {
                node = new SpoolNode(++_last, key, parent, name);
                _byKey[key] = node;
                _byInode[node.Inode] = node;
            }
            else
            {
                node.Parent = parent;
                node.Name = name;
            }
            node.Lookups++;
            return node;
        }
    }

    public void Forget(ulong inode, ulong count)
    {
        lock (_lock)
        {
            if (!_byInode.TryGetValue(inode, out var node) || node.IsRoot)
                return;
            node.Lookups -= (long)Math.Min(count, long.MaxValue);
            if (node.Lookups > 0)
                return;
            _byInode.Remove(inode);
            if (_byKey.TryGetValue(node.Key, out var mapped) && mapped == node)
                _byKey.Remove(node.Key);
        }
    }

    /// <summary>
    /// A name was removed (unlink, rmdir, or replaced by rename). With <paramref name="lastLink"/> the object is
    /// gone and its key is released; otherwise the node only loses its path if that was the removed name.
    /// </summary>
    public void NameRemoved(SpoolNode parent, string name, (ulong, ulong) key, bool lastLink)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var node))
                return;
            if (node.Parent == parent && node.Name == name)
                node.Parent = null;
            if (lastLink)
                _byKey.Remove(key);
        }
    }

    public void Moved((ulong, ulong) key, SpoolNode newParent, string newName)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out var node))
            {
                node.Parent = newParent;
                node.Name = newName;
            }
        }
    }

    /// <summary>The relative path of <paramref name="node"/>, or ESTALE when no name of it is known.</summary>
    public string PathOf(SpoolNode node)
    {
        lock (_lock)
            return node.HasPath ? node.RelativePath : throw new FuseException(Errno.ESTALE);
    }

    public string? TryPathOf(SpoolNode node)
    {
        lock (_lock)
            return node.HasPath ? node.RelativePath : null;
    }

    public void AddHandle(SpoolHandle handle)
    {
        lock (_lock)
        {
            handle.Node.Handles.Add(handle);
            if (handle.Writable) handle.Node.WritableHandles++;
        }
    }

    /// <summary>Removes the handle; true when it was the node's last writable one.</summary>
    public bool RemoveHandle(SpoolHandle handle)
    {
        lock (_lock)
        {
            handle.Node.Handles.Remove(handle);
            return handle.Writable && --handle.Node.WritableHandles == 0;
        }
    }

    public SpoolHandle[] HandlesOf(SpoolNode node)
    {
        lock (_lock)
            return [.. node.Handles];
    }

    public SpoolHandle? AnyHandle(SpoolNode node)
    {
        lock (_lock)
            return node.Handles.Count == 0 ? null : node.Handles[^1];
    }

    /// <summary>After a commit emptied the tree: every node but the root is forgotten (the kernel's copies then fail lookups).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var node in _byInode.Values)
                if (!node.IsRoot) node.Parent = null;
            _byInode.Clear();
            _byKey.Clear();
            _byInode[Root.Inode] = Root;
        }
    }
}
