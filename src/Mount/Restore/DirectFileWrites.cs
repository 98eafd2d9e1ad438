using System.Runtime.InteropServices;

namespace StashMount.Mount.Restore;

/// <summary>
/// Writes a large blob into a restored file with its page-aligned middle going straight to the disk (O_DIRECT, through
/// a second descriptor, from a page-aligned bounce buffer) and only its partly covered first and last pages through the
/// page cache, where they meet the neighbouring blobs' edges. A buffered write of 1 GiB cost this VM 2.1-2.7 s of
/// system time (each fresh page-cache page a host fault, then the copy into it), O_DIRECT 0.16-0.26 s (dd, 4 MiB
/// writes). Data that already lines up with its file offset in memory (address and offset agree modulo a page) is written
/// from where it is; other data goes through a bounce buffer. A filesystem that refuses O_DIRECT turns it off for the
/// rest of the restore: the bytes then go buffered.
/// </summary>
internal sealed partial class DirectFileWrites(RangeBufferPool bounce, int bounceCapacity) : IDisposable
{
    /// <summary>Blobs with a smaller page-aligned middle (small files) are written buffered.</summary>
    public const int MinimumBytes = 256 << 10;

    private const int Page = 4096;
    private const int WriteOnly = 0x1, CloseOnExec = 0x80000, EInvalid = 22;
    // The flag's value differs between architectures (asm-generic vs x86).
    private static readonly int Direct = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;

    private volatile bool _enabled = true;

    /// <summary>Whether <paramref name="length"/> bytes at <paramref name="offset"/> would be written (partly) directly.</summary>
    public bool Qualifies(long offset, int length) => _enabled && Middle(offset, length).Length >= MinimumBytes;

    /// <summary>A descriptor of the existing file <paramref name="path"/> for direct writes, or -1 (then write buffered).</summary>
    public int OpenDirect(string path)
    {
        var fd = open(path, WriteOnly | CloseOnExec | Direct);
        if (fd < 0 && Marshal.GetLastPInvokeError() == EInvalid)
            _enabled = false;
        return fd < 0 ? -1 : fd;
    }

    /// <summary>
    /// Writes all of <paramref name="data"/> at <paramref name="offset"/>: its aligned middle through
    /// <paramref name="directFd"/> (when not -1), the rest through <paramref name="fd"/>. 0 or the negated errno.
    /// </summary>
    public int Write(int fd, int directFd, ReadOnlySpan<byte> data, long offset)
    {
        var (start, length) = Middle(offset, data.Length);
        if (directFd < 0 || !_enabled || length < MinimumBytes)
            return PosixFileCalls.WriteAll(fd, data, offset);
        var head = (int)(start - offset);
        var errno = PosixFileCalls.WriteAll(fd, data[..head], offset);
        if (errno == 0)
            errno = WriteDirect(fd, directFd, data.Slice(head, length), start);
        if (errno == 0)
            errno = PosixFileCalls.WriteAll(fd, data[(head + length)..], start + length);
        return errno;
    }

    private static (long Start, int Length) Middle(long offset, int length)
    {
        var start = (offset + Page - 1) & ~(long)(Page - 1);
        var end = (offset + length) & ~(long)(Page - 1);
        return (start, (int)Math.Max(0, end - start));
    }

    private unsafe int WriteDirect(int fd, int directFd, ReadOnlySpan<byte> middle, long start)
    {
        fixed (byte* address = middle)
        {
            // Decoded into a buffer that lines up with the file (see ContentRestorer): straight from it, no bounce copy.
            if ((nint)address % Page == 0)
            {
                var errno = PosixFileCalls.WriteAll(directFd, middle, start);
                if (errno != -EInvalid)
                    return errno;
                _enabled = false;
                return PosixFileCalls.WriteAll(fd, middle, start);
            }
        }
        for (var done = 0; done < middle.Length;)
        {
            var length = Math.Min(bounceCapacity, middle.Length - done);
            var buffer = bounce.TryRent(0, length, out var aligned)!;
            int errno;
            try
            {
                middle.Slice(done, length).CopyTo(aligned.Span);
                errno = PosixFileCalls.WriteAll(directFd, aligned.Span, start + done);
            }
            finally
            {
                bounce.Return(buffer);
            }
            if (errno == -EInvalid)
            {
                // The filesystem takes no direct writes (or not at this alignment): buffered from here on.
                _enabled = false;
                return PosixFileCalls.WriteAll(fd, middle[done..], start + done);
            }
            if (errno != 0)
                return errno;
            done += length;
        }
        return 0;
    }

    public void Dispose() => bounce.Dispose();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);
}
