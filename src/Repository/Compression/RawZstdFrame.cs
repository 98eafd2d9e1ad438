using System.Buffers.Binary;

namespace StashMount.Repository.Compression;

/// <summary>
/// The layout of a zstd frame whose blocks are all stored raw or as one repeated byte (RFC 8878, what zstd writes
/// for data it cannot compress, e.g. already compressed or encrypted files). Its content is then just those block
/// bodies, so a reader can take them straight from the encrypted frame without running the decoder.
/// The headers are read one at a time through an <see cref="IFrameReader"/>, since the frame is still encrypted then.
/// </summary>
internal static class RawZstdFrame
{
    private const uint Magic = 0xFD2FB528;
    private const int MaxBlocks = 4096;

    /// <summary>One block: where its body starts in the frame, its size, and the repeated byte of an RLE block (else -1).</summary>
    public readonly record struct Block(int FrameOffset, int Size, int RepeatedByte);

    /// <summary>
    /// The blocks of a single-frame, raw/RLE-only <paramref name="frameLength"/>-byte frame whose content is
    /// <paramref name="contentLength"/> bytes; false for anything else (compressed blocks, dictionaries, skippable
    /// or several frames), which the caller decompresses normally.
    /// </summary>
    public static bool TryParse<TReader>(int frameLength, int contentLength, ref TReader read, List<Block> blocks)
        where TReader : IFrameReader, allows ref struct
    {
        blocks.Clear();
        Span<byte> header = stackalloc byte[18];
        if (frameLength < 9)
            return false;
        var headerLength = Math.Min(header.Length, frameLength);
        read.Read(0, header[..headerLength]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
            return false;
        var descriptor = header[4];
        if ((descriptor & 0x08) != 0 || (descriptor & 0x03) != 0) // reserved bit, dictionary
            return false;
        var singleSegment = (descriptor & 0x20) != 0;
        var checksum = (descriptor & 0x04) != 0;
        var sizeFlag = descriptor >> 6;
        var at = 5 + (singleSegment ? 0 : 1);
        at += sizeFlag switch { 0 => singleSegment ? 1 : 0, 1 => 2, 2 => 4, _ => 8 };
        var content = 0L;
        Span<byte> blockHeader = stackalloc byte[3];
        Span<byte> repeated = stackalloc byte[1];
        while (true)
        {
            if (at + 3 > frameLength || blocks.Count == MaxBlocks)
                return false;
            read.Read(at, blockHeader);
            var value = blockHeader[0] | blockHeader[1] << 8 | blockHeader[2] << 16;
            var last = (value & 1) != 0;
            var type = (value >> 1) & 3;
            var size = value >> 3;
            at += 3;
            if (type == 0)
            {
                if (at + (long)size > frameLength)
                    return false;
                blocks.Add(new Block(at, size, -1));
                at += size;
            }
            else if (type == 1)
            {
                if (at + 1 > frameLength)
                    return false;
                read.Read(at, repeated);
                blocks.Add(new Block(at, size, repeated[0]));
                at += 1;
            }
            else
            {
                return false;
            }
            content += size;
            if (last)
                break;
        }
        return content == contentLength && at + (checksum ? 4 : 0) == frameLength;
    }

    /// <summary>Gives the frame's plaintext bytes at an offset.</summary>
    public interface IFrameReader
    {
        void Read(int offset, scoped Span<byte> destination);
    }
}
