using System.Collections.Concurrent;
using StashMount.Mount.DataPath;
using StashMount.Repository;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// What every node of one mounted snapshot shares: the repository, the inode table, the owner mapping and the
/// snapshot's hardlink groups (files with the same device and inode number get one inode, as on the source).
/// </summary>
internal sealed class SnapshotContext(ResticRepository repository, InodeTable inodes, BlobFetcher fetcher, bool ownerRoot)
{
    public ResticRepository Repository { get; } = repository;

    public InodeTable Inodes { get; } = inodes;

    public BlobFetcher Fetcher { get; } = fetcher;

    public bool OwnerRoot { get; } = ownerRoot;

    public ConcurrentDictionary<(ulong Device, ulong Inode), TreeFile> Hardlinks { get; } = new();
}
