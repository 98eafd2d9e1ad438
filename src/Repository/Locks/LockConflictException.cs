namespace StashMount.Repository.Locks;

/// <summary>Another process holds a lock that conflicts with the one wanted (restic exits 11); the message names the holder.</summary>
public sealed class LockConflictException : RepositoryException
{
    public LockConflictException(LockInfo holder, string lockId)
        : base($"repository is already locked {holder.Describe()}, lock {lockId[..Math.Min(8, lockId.Length)]}")
    {
        Holder = holder;
    }

    public LockInfo Holder { get; }
}
