namespace StashMount.Mount.Fuse;

/// <summary>Checks a mountpoint before mounting, so the common mistakes get a clear one-line message.</summary>
internal static class MountPointCheck
{
    /// <summary>Returns the absolute path without a trailing slash, or throws <see cref="MountException"/>.</summary>
    public static string Validate(string mountPoint)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mountPoint));
        if (MountTable.IsMountPoint(full))
            throw new MountException($"mountpoint {full} is already mounted (unmount it with: fusermount3 -u {full})");
        if (File.Exists(full))
            throw new MountException($"mountpoint {full} is not a directory");
        if (!Directory.Exists(full))
            throw new MountException($"mountpoint {full} does not exist");
        return full;
    }
}
