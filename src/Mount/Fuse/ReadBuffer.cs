using System.Buffers;

namespace StashMount.Mount.Fuse;

/// <summary>
/// Read data in a pooled array, for filesystems that answer reads by copying (<see cref="FuseFileSystem.ReadAsync"/>);
/// the array goes back to the pool once the reply is sent.
/// </summary>
internal sealed class ReadBuffer(byte[] data, int count) : IFuseReadData
{
    private byte[]? _data = data;

    public int Count => 1;

    public ReadOnlyMemory<byte> this[int index] => index == 0 && _data != null ? _data.AsMemory(0, count) : throw new ArgumentOutOfRangeException(nameof(index));

    public void Release()
    {
        if (Interlocked.Exchange(ref _data, null) is { } array)
            ArrayPool<byte>.Shared.Return(array);
    }

    /// <summary>Pairs a pending read with its buffer; on failure the buffer goes back to the pool.</summary>
    public static ValueTask<IFuseReadData> Attach(ValueTask<int> read, byte[] buffer)
    {
        if (read.IsCompletedSuccessfully)
            return ValueTask.FromResult<IFuseReadData>(new ReadBuffer(buffer, read.Result));
        return Later(read, buffer);

        static async ValueTask<IFuseReadData> Later(ValueTask<int> read, byte[] buffer)
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
