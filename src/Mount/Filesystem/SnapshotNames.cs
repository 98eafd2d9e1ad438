namespace StashMount.Mount.Filesystem;

/// <summary>Names the listing layer gives snapshots beyond what the path templates make.</summary>
internal static class SnapshotNames
{
    /// <summary>The link, in each listing of times, to its newest snapshot.</summary>
    public const string Latest = "latest";
}
