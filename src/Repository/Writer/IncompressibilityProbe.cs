using System.Buffers;
using StashMount.Repository.Compression;

namespace StashMount.Repository.Writer;

/// <summary>
/// Guesses from a few samples whether zstd would gain anything on a chunk: random, encrypted or already
/// compressed data (media, archives) yields raw blocks at any level, after a full pass of the match finder.
/// Only big chunks are probed, and only "every sample incompressible" skips compression, so mixed content
/// is still compressed.
/// </summary>
internal static class IncompressibilityProbe
{
    private const int SampleSize = 16 * 1024;
    private const int Samples = 4;
    private const int MinimumLength = 8 * Samples * SampleSize;

    public static bool LooksIncompressible(ReadOnlySpan<byte> data)
    {
        if (data.Length < MinimumLength)
            return false;
        var frame = ArrayPool<byte>.Shared.Rent(Zstd.CompressBound(SampleSize));
        try
        {
            var stride = (data.Length - SampleSize) / (Samples - 1);
            for (var i = 0; i < Samples; i++)
            {
                var compressed = Zstd.Compress(data.Slice(i * stride, SampleSize), frame, level: 1);
                // Less than 3 % saved is noise (block and frame headers); such a sample is incompressible.
                if (compressed < SampleSize - SampleSize / 32)
                    return false;
            }
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }
}
