using System.Buffers;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;

namespace StashMount.Repository.Index;

/// <summary>
/// Turns a stored index file into its parsed blobs: MAC check and decryption, decompression, JSON parsing.
/// </summary>
/// <remarks>
/// The plaintext and the JSON are only needed until the parse ends, and a large repository's index files are megabytes
/// each: both go into arrays rented from the caller's pool, so that a load of many files reuses a few warm buffers per
/// loading worker instead of touching hundreds of megabytes of fresh pages (each first touch a page fault, costly in
/// a VM). A load makes its own pool (<see cref="CreateBufferPool"/>) and drops it when done, so that the buffers do not
/// outlive the load as <see cref="ArrayPool{T}.Shared"/>'s would.
/// </remarks>
public static class IndexFileDecoder
{
    /// <summary>A pool for one load's buffers: index files are written up to a few tens of megabytes of JSON.</summary>
    public static ArrayPool<byte> CreateBufferPool() => ArrayPool<byte>.Create(maxArrayLength: 64 << 20, maxArraysPerBucket: Environment.ProcessorCount + 1);

    /// <param name="name">Names the file in error messages, e.g. "index/1a2b…".</param>
    public static IndexFile Decode(MasterKey key, ReadOnlySpan<byte> stored, int repositoryVersion, string name, ArrayPool<byte> buffers)
    {
        if (stored.Length < CryptoConstants.Overhead)
            throw new IntegrityException($"{name}: {stored.Length} bytes is too short to be encrypted data");
        var length = AuthenticatedEncryption.PlaintextLength(stored.Length);
        var plaintext = buffers.Rent(length);
        byte[]? inflated = null;
        try
        {
            AuthenticatedEncryption.Decrypt(key, stored, plaintext.AsSpan(0, length), name);
            var json = UnpackedEncoding.DecodePooled(plaintext.AsSpan(0, length), repositoryVersion, name, buffers, out inflated);
            return IndexFileParser.Parse(json, name, ExpectedBlobs(json));
        }
        finally
        {
            if (inflated is not null)
                buffers.Return(inflated);
            buffers.Return(plaintext);
        }
    }

    /// <summary>
    /// How many blobs the JSON lists, counted by their "length" members (one vectorized scan, far cheaper than the
    /// parse): the parser's list then never grows by copying, which for 50,000 blobs allocated twice the final 4 MB.
    /// Only a hint: an escaped member name goes uncounted and the list grows as usual.
    /// </summary>
    private static int ExpectedBlobs(ReadOnlySpan<byte> json)
    {
        var count = 0;
        for (int at; (at = json.IndexOf("\"length\""u8)) >= 0; json = json[(at + 8)..])
            count++;
        return count;
    }
}
