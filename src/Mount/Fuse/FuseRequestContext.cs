namespace StashMount.Mount.Fuse;

/// <summary>Who asked (struct fuse_ctx): new files belong to this caller, as they would on a local filesystem.</summary>
public readonly record struct FuseRequestContext(uint Uid, uint Gid, uint Pid, uint Umask);
