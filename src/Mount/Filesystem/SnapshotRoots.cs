using StashMount.Mount.Fuse;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Filesystem;

/// <summary>The directory a snapshot's tree is shown in: owned by the snapshot's user (or root), timed at the snapshot.</summary>
internal static class SnapshotRoots
{
    public static DirectoryNode Create(SnapshotContext context, Snapshot snapshot, string name, MountNode parent) =>
        context.Inodes.Register(new TreeDirectory(context, snapshot.Tree, Attributes(context.Inodes.Allocate(), snapshot, context.OwnerRoot), null, name, parent));

    public static FuseAttributes Attributes(ulong inode, Snapshot snapshot, bool ownerRoot)
    {
        var time = FuseTimestamp.FromDateTimeOffset(snapshot.Time);
        return new FuseAttributes
        {
            Inode = inode,
            Mode = FuseAttributes.Directory | 0x1ED, // rwxr-xr-x
            Links = 1,
            Uid = ownerRoot ? 0 : snapshot.Uid,
            Gid = ownerRoot ? 0 : snapshot.Gid,
            AccessTime = time,
            ModificationTime = time,
            ChangeTime = time,
        };
    }
}
