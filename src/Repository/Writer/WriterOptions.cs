using StashMount.Repository.Compression;

namespace StashMount.Repository.Writer;

/// <summary>How new blobs are stored: compression (v2 only) and the target pack size (restic's --pack-size, 4–128 MiB).</summary>
public sealed record WriterOptions
{
    public const int MinPackSizeMiB = 4;
    public const int DefaultPackSizeMiB = 16;
    public const int MaxPackSizeMiB = 128;

    public ResticCompression Compression { get; init; } = ResticCompression.Auto;

    public int PackSizeMiB { get; init; } = DefaultPackSizeMiB;

    /// <summary>Compress-and-encrypt workers; default one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    public int PackSizeBytes => Math.Clamp(PackSizeMiB, MinPackSizeMiB, MaxPackSizeMiB) * 1024 * 1024;
}
