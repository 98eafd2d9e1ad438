using System.Buffers;
using System.Text;

namespace StashMount.Mount.Fuse;

/// <summary>A NUL-terminated UTF-8 copy of a string on a pooled buffer, for passing names and paths to libfuse.</summary>
internal readonly struct Utf8Z : IDisposable
{
    private readonly byte[] _buffer;

    public Utf8Z(string text)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length) + 1);
        var n = Encoding.UTF8.GetBytes(text, _buffer);
        _buffer[n] = 0;
        Length = n;
    }

    public int Length { get; }

    /// <summary>The bytes including the terminating NUL.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length + 1);

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    public static unsafe string Read(byte* text) => Encoding.UTF8.GetString(new ReadOnlySpan<byte>(text, StrLen(text)));

    private static unsafe int StrLen(byte* text) => System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text).Length;
}
