namespace StashMount.Repository.Compression;

/// <summary>restic's --compression setting. Off still compresses tree blobs and unpacked files in v2 repositories, as restic does.</summary>
public enum ResticCompression
{
    Off,
    Auto,
    Max,
}
