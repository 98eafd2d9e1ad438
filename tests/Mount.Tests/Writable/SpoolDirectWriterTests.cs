using StashMount.Mount.Fuse.Native;
using StashMount.Mount.Writable;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Writable;

/// <summary>Big aligned writes go direct, the rest buffered: the file holds exactly what was written, in any order.</summary>
public sealed class SpoolDirectWriterTests
{
    [Fact]
    public void AlignedUnalignedAndTailWritesLandAsWritten()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("spooled");
        var expected = new byte[5 * 1024 * 1024 + 1234];
        new Random(7).NextBytes(expected);
        var descriptor = SpoolPosix.Open(path, 1 | LibC.O_CREAT, 0x1A4); // O_WRONLY, 0644
        try
        {
            using var writer = new SpoolDirectWriter(descriptor);
            const int mib = 1024 * 1024;
            // In order as cp writes, then a small unaligned write, an overwrite across a page, a 2 MiB write and the tail.
            Assert.Equal(mib, writer.Write(expected.AsSpan(0, mib), 0));
            Assert.Equal(mib, writer.Write(expected.AsSpan(mib, mib), mib));
            Assert.Equal(100, writer.Write(expected.AsSpan(2 * mib, 100), 2 * mib));
            Assert.Equal(mib - 100, writer.Write(expected.AsSpan(2 * mib + 100, mib - 100), 2 * mib + 100));
            Assert.Equal(8192, writer.Write(expected.AsSpan(mib - 4096, 8192), mib - 4096));
            Assert.Equal(2 * mib, writer.Write(expected.AsSpan(3 * mib, 2 * mib), 3 * mib));
            Assert.Equal(1234, writer.Write(expected.AsSpan(5 * mib, 1234), 5 * mib));
        }
        finally
        {
            SpoolPosix.Close(descriptor);
        }
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public unsafe void PageAlignedDataIsWrittenStraightFromItsMemory()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("spooled");
        const int length = 2 * 1024 * 1024;
        var aligned = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(length, 4096);
        var descriptor = SpoolPosix.Open(path, 1 | LibC.O_CREAT, 0x1A4);
        try
        {
            var data = new Span<byte>(aligned, length);
            new Random(11).NextBytes(data);
            using (var writer = new SpoolDirectWriter(descriptor))
            {
                Assert.Equal(length / 2, writer.Write(data[..(length / 2)], 0));
                Assert.Equal(length / 2, writer.Write(data[(length / 2)..], length / 2));
            }
            Assert.Equal(data.ToArray(), File.ReadAllBytes(path));
        }
        finally
        {
            SpoolPosix.Close(descriptor);
            System.Runtime.InteropServices.NativeMemory.AlignedFree(aligned);
        }
    }
}
