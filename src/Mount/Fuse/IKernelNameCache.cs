namespace StashMount.Mount.Fuse;

/// <summary>
/// The kernel's name (dentry) cache of the mounted filesystem. A filesystem whose tree can change behind the
/// kernel (a commit empties <c>new/</c>) may let the kernel cache names only if it can take them all back.
/// </summary>
public interface IKernelNameCache
{
    /// <summary>
    /// Whether <see cref="ExpireAll"/> works: the kernel's connection epoch (FUSE 7.44, Linux 6.16). Known once the
    /// kernel's init has been answered, which is before the first lookup.
    /// </summary>
    bool CanExpireAll { get; }

    /// <summary>
    /// Makes every name the kernel holds, and every one a lookup answered before this call still installs, invalid at
    /// its next use (the kernel then looks it up again). False when the kernel refused.
    /// </summary>
    bool ExpireAll();
}
