using System.Collections.Concurrent;
using StashMount.Mount.Fuse;

namespace StashMount.Mount.Filesystem;

/// <summary>Every inode handed to the kernel, by number. Numbers start after the root (1) and are never reused.</summary>
internal sealed class InodeTable
{
    private readonly ConcurrentDictionary<ulong, MountNode> _nodes = new();
    private long _last = (long)FuseFileSystem.RootInode;

    public ulong Allocate() => (ulong)Interlocked.Increment(ref _last);

    public int Count => _nodes.Count;

    public T Register<T>(T node) where T : MountNode
    {
        _nodes[node.Inode] = node;
        return node;
    }

    public MountNode Get(ulong inode) =>
        _nodes.TryGetValue(inode, out var node) ? node : throw new FuseException(Errno.ENOENT);
}
