using Microsoft.Win32.SafeHandles;

namespace StashMount.Backends.Local;

/// <summary>A whole range of a file in one O_DIRECT read, its partly covered edge pages through bounce pages.</summary>
public static class DirectRangeRead
{
    /// <summary>
    /// Reads all of <paramref name="destination"/> with one O_DIRECT request (preadv) on <paramref name="file"/>: the
    /// page-aligned middle straight into it, the first and last pages it covers only in part into bounce pages whose
    /// bytes are copied. Reading those two edges buffered took two more opens and two more disk round trips per range
    /// (each starting page-cache readahead the next range did not use). False when the range has no direct middle
    /// (see <see cref="DirectRead.Plan"/>) or the file ends before the range does; the caller then reads it buffered.
    /// </summary>
    public static async Task<bool> ReadWholeAsync(SafeFileHandle file, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        DirectRead.Plan(offset, destination, out var skip, out var length);
        if (length == 0)
            return false;
        var end = offset + destination.Length;
        var tailStart = offset + skip + length;
        var bounce = BouncePages.Rent();
        try
        {
            var head = bounce.Page(0);
            var tail = bounce.Page(1);
            var buffers = new List<Memory<byte>>(3);
            if (skip > 0) buffers.Add(head);
            buffers.Add(destination.Slice(skip, length));
            if (tailStart < end) buffers.Add(tail);
            var start = skip > 0 ? offset + skip - DirectRead.Alignment : offset;
            var read = await RandomAccess.ReadAsync(file, buffers, start, cancellationToken).ConfigureAwait(false);
            if (read < end - start)
                return false;
            if (skip > 0)
                head.Span.Slice((int)(offset - start), skip).CopyTo(destination.Span);
            if (tailStart < end)
                tail.Span[..(int)(end - tailStart)].CopyTo(destination.Span[(skip + length)..]);
            return true;
        }
        finally
        {
            BouncePages.Return(bounce);
        }
    }
}
