using System.Buffers;

namespace StashMount.Repository.Compression;

/// <summary>
/// Safe wrapper over libzstd: one frame per call, as restic writes blobs and unpacked files. Every decoding
/// failure (corrupt frame, wrong size, excessive size) is an <see cref="IntegrityException"/> naming the object.
/// </summary>
public static unsafe class Zstd
{
    /// <summary>restic's "auto" is klauspost/compress SpeedDefault, which corresponds to zstd level 3.</summary>
    public const int AutoLevel = 3;

    /// <summary>restic's "max" is klauspost/compress SpeedBestCompression, documented as roughly zstd level 11.</summary>
    public const int MaxLevel = 11;

    /// <summary>Refuse to inflate an unpacked file beyond this (restic allows 16 GiB; files here are held in memory).</summary>
    public const long DefaultMaxDecompressedSize = 1L << 31;

    // ZSTD_compress/ZSTD_decompress allocate and clear a fresh context (megabytes for a 1 MiB blob) on every call;
    // reused contexts skip that allocation, its page faults and its zeroing.
    private static readonly ZstdContextPool CompressionContexts = new(ZstdNative.CreateCompressionContext, c => ZstdNative.FreeCompressionContext(c));
    private static readonly ZstdContextPool DecompressionContexts = new(ZstdNative.CreateDecompressionContext, c => ZstdNative.FreeDecompressionContext(c));

    public static int Level(ResticCompression compression) => compression == ResticCompression.Max ? MaxLevel : AutoLevel;

    public static int CompressBound(int sourceLength) => checked((int)ZstdNative.CompressBound((nuint)sourceLength));

    /// <summary>Compresses into <paramref name="destination"/> (at least <see cref="CompressBound"/> bytes); returns the frame length.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level = AutoLevel)
    {
        if (destination.Length < CompressBound(source.Length))
            throw new ArgumentException("the destination is smaller than ZSTD_compressBound", nameof(destination));
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            var context = CompressionContexts.Rent();
            nuint result;
            try
            {
                result = ZstdNative.CompressWithContext(context, dst, (nuint)destination.Length, src, (nuint)source.Length, level);
            }
            finally
            {
                CompressionContexts.Return(context);
            }
            if (ZstdNative.IsError(result) != 0)
                throw new InvalidOperationException("zstd compression failed: " + ZstdNative.ErrorName(result));
            return (int)result;
        }
    }

    public static byte[] Compress(ReadOnlySpan<byte> source, int level = AutoLevel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CompressBound(source.Length));
        try
        {
            var length = Compress(source, buffer, level);
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decompresses a frame whose plaintext size is known (a blob's uncompressed_length) into exactly
    /// <paramref name="destination"/>.
    /// </summary>
    public static void DecompressExact(ReadOnlySpan<byte> frame, Span<byte> destination, string description)
    {
        fixed (byte* src = frame)
        fixed (byte* dst = destination)
        {
            var context = DecompressionContexts.Rent();
            nuint result;
            try
            {
                result = ZstdNative.DecompressWithContext(context, dst, (nuint)destination.Length, src, (nuint)frame.Length);
            }
            finally
            {
                DecompressionContexts.Return(context);
            }
            if (ZstdNative.IsError(result) != 0)
                throw new IntegrityException($"{description}: cannot decompress: {ZstdNative.ErrorName(result)}");
            if (result != (nuint)destination.Length)
                throw new IntegrityException($"{description}: decompressed to {result} bytes, expected {destination.Length}");
        }
    }

    /// <summary>
    /// Decompresses a frame of unknown plaintext size (restic does not always record it in the frame header),
    /// streaming into a growing buffer.
    /// </summary>
    public static byte[] Decompress(ReadOnlySpan<byte> frame, string description, long maxSize = DefaultMaxDecompressedSize)
    {
        var declared = DeclaredSize(frame, description, maxSize);
        if (declared < 0)
            return DecompressStreaming(frame, description, maxSize);
        var exact = new byte[declared];
        DecompressExact(frame, exact, description);
        return exact;
    }

    /// <summary>
    /// Like <see cref="Decompress"/>, but a frame that declares its size is inflated into an array rented from
    /// <paramref name="pool"/> (<paramref name="rented"/>, for the caller to return), so that a caller decoding many
    /// large files in turn (the index at startup) reuses warm memory instead of faulting in fresh pages.
    /// <paramref name="rented"/> is null when the result is a fresh array (a frame without a declared size).
    /// </summary>
    public static ReadOnlySpan<byte> DecompressPooled(ReadOnlySpan<byte> frame, string description, ArrayPool<byte> pool, out byte[]? rented, long maxSize = DefaultMaxDecompressedSize)
    {
        rented = null;
        var declared = DeclaredSize(frame, description, maxSize);
        if (declared < 0 || declared > Array.MaxLength)
            return Decompress(frame, description, maxSize);
        var buffer = pool.Rent((int)declared);
        try
        {
            DecompressExact(frame, buffer.AsSpan(0, (int)declared), description);
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }
        rented = buffer;
        return buffer.AsSpan(0, (int)declared);
    }

    /// <summary>The frame's declared decompressed size, or -1 when its header does not say.</summary>
    private static long DeclaredSize(ReadOnlySpan<byte> frame, string description, long maxSize)
    {
        ulong declared;
        fixed (byte* src = frame)
            declared = ZstdNative.GetFrameContentSize(src, (nuint)frame.Length);
        if (declared == ZstdNative.ContentSizeError)
            throw new IntegrityException($"{description}: not a zstd frame");
        if (declared == ZstdNative.ContentSizeUnknown)
            return -1;
        if (declared > (ulong)maxSize)
            throw new IntegrityException($"{description}: declares {declared} decompressed bytes, more than the limit of {maxSize}");
        return (long)declared;
    }

    private static byte[] DecompressStreaming(ReadOnlySpan<byte> frame, string description, long maxSize)
    {
        var context = ZstdNative.CreateDecompressionContext();
        if (context == 0)
            throw new OutOfMemoryException("zstd: cannot create a decompression context");
        var output = new ArrayBufferWriter<byte>(Math.Max(4096, Math.Min(frame.Length * 4, 1 << 20)));
        try
        {
            fixed (byte* src = frame)
            {
                var input = new ZstdNative.InBuffer { Source = src, Size = (nuint)frame.Length };
                while (true)
                {
                    var span = output.GetSpan(64 * 1024);
                    nuint result;
                    bool outputFull;
                    fixed (byte* dst = span)
                    {
                        var outBuffer = new ZstdNative.OutBuffer { Destination = dst, Size = (nuint)span.Length };
                        result = ZstdNative.DecompressStream(context, &outBuffer, &input);
                        outputFull = outBuffer.Position == outBuffer.Size;
                        output.Advance((int)outBuffer.Position);
                    }
                    if (ZstdNative.IsError(result) != 0)
                        throw new IntegrityException($"{description}: cannot decompress: {ZstdNative.ErrorName(result)}");
                    if (output.WrittenCount > maxSize)
                        throw new IntegrityException($"{description}: decompresses to more than the limit of {maxSize} bytes");
                    if (result == 0)
                    {
                        if (input.Position != input.Size)
                            throw new IntegrityException($"{description}: trailing bytes after the zstd frame");
                        return output.WrittenSpan.ToArray();
                    }
                    // All input consumed, frame unfinished, and the decoder did not fill the room it had: truncated.
                    if (input.Position == input.Size && !outputFull)
                        throw new IntegrityException($"{description}: truncated zstd frame");
                }
            }
        }
        finally
        {
            ZstdNative.FreeDecompressionContext(context);
        }
    }
}
