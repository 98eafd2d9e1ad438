using System.Buffers;

namespace StashMount.Mount.Fuse;

/// <summary>A pooled buffer filled by a read and how many bytes of it are valid; returned to the pool after the reply.</summary>
internal readonly record struct ReadBuffer(byte[] Data, int Count)
{
    /// <summary>Pairs a pending read with its buffer; on failure the buffer goes back to the pool.</summary>
    public static ValueTask<ReadBuffer> Attach(ValueTask<int> read, byte[] buffer)
    {
        if (read.IsCompletedSuccessfully)
            return ValueTask.FromResult(new ReadBuffer(buffer, read.Result));
        return Later(read, buffer);

        static async ValueTask<ReadBuffer> Later(ValueTask<int> read, byte[] buffer)
        {
            try
            {
                return new ReadBuffer(buffer, await read.ConfigureAwait(false));
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }
}
