namespace StashMount.Mount.Restore;

/// <summary>Converts restic's stored Go os.FileMode into POSIX mode bits.</summary>
public static class GoModeBits
{
    private const uint Setuid = 1u << 23, Setgid = 1u << 22, Sticky = 1u << 20;

    /// <summary>Permission bits plus setuid/setgid/sticky, for chmod.</summary>
    public static uint ToPosixPermissions(uint goMode)
    {
        var mode = goMode & 0x1FF;
        if ((goMode & Setuid) != 0) mode |= 0x800;
        if ((goMode & Setgid) != 0) mode |= 0x400;
        if ((goMode & Sticky) != 0) mode |= 0x200;
        return mode;
    }
}
