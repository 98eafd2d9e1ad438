using System.Runtime.InteropServices;
using StashMount.Mount.Fuse;
using StashMount.Mount.Fuse.Native;

namespace StashMount.Mount.Tests.Fuse;

/// <summary>The ops struct and the setattr struct stat must match libfuse 3.14's fuse_lowlevel.h byte for byte.</summary>
public sealed class LowlevelOpsLayoutTests
{
    [Theory]
    [InlineData(nameof(FuseLowlevelOps.Init), 0)]
    [InlineData(nameof(FuseLowlevelOps.GetAttr), 32)]
    [InlineData(nameof(FuseLowlevelOps.SetAttr), 40)]
    [InlineData(nameof(FuseLowlevelOps.MkNod), 56)]
    [InlineData(nameof(FuseLowlevelOps.MkDir), 64)]
    [InlineData(nameof(FuseLowlevelOps.Unlink), 72)]
    [InlineData(nameof(FuseLowlevelOps.RmDir), 80)]
    [InlineData(nameof(FuseLowlevelOps.Symlink), 88)]
    [InlineData(nameof(FuseLowlevelOps.Rename), 96)]
    [InlineData(nameof(FuseLowlevelOps.Link), 104)]
    [InlineData(nameof(FuseLowlevelOps.Open), 112)]
    [InlineData(nameof(FuseLowlevelOps.Write), 128)]
    [InlineData(nameof(FuseLowlevelOps.Flush), 136)]
    [InlineData(nameof(FuseLowlevelOps.Release), 144)]
    [InlineData(nameof(FuseLowlevelOps.Fsync), 152)]
    [InlineData(nameof(FuseLowlevelOps.FsyncDir), 184)]
    [InlineData(nameof(FuseLowlevelOps.StatFs), 192)]
    [InlineData(nameof(FuseLowlevelOps.SetXattr), 200)]
    [InlineData(nameof(FuseLowlevelOps.RemoveXattr), 224)]
    [InlineData(nameof(FuseLowlevelOps.Create), 240)]
    [InlineData(nameof(FuseLowlevelOps.ReadDirPlus), 328)]
    [InlineData(nameof(FuseLowlevelOps.Lseek), 344)]
    public void SlotOffsets(string slot, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf<FuseLowlevelOps>(slot));

    [Fact]
    public unsafe void OpsStructIs352Bytes() => Assert.Equal(352, sizeof(FuseLowlevelOps));

    [Fact]
    public void FuseBufferMatchesStructFuseBuf()
    {
        // struct fuse_buf of 3.14 (40 bytes) and the bufvec around it; the 8 bytes past it are 3.17's mem_size.
        Assert.Equal(16, (int)Marshal.OffsetOf<FuseBuffer>(nameof(FuseBuffer.Memory)));
        Assert.Equal(24, (int)Marshal.OffsetOf<FuseBuffer>(nameof(FuseBuffer.FileDescriptor)));
        Assert.Equal(32, (int)Marshal.OffsetOf<FuseBuffer>(nameof(FuseBuffer.Position)));
        Assert.Equal(40, (int)Marshal.OffsetOf<FuseBuffer>(nameof(FuseBuffer.MemorySize)));
        Assert.Equal(24, (int)Marshal.OffsetOf<FuseBufferVector>(nameof(FuseBufferVector.Buffer)));
    }

    [Fact]
    public void SetAttributesReadFromStructStat()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return;
        var stat = new byte[144];
        BitConverter.TryWriteBytes(stat.AsSpan(24), 0x81EDu); // st_mode
        BitConverter.TryWriteBytes(stat.AsSpan(28), 1000u); // st_uid
        BitConverter.TryWriteBytes(stat.AsSpan(32), 2000u); // st_gid
        BitConverter.TryWriteBytes(stat.AsSpan(48), 12345L); // st_size
        BitConverter.TryWriteBytes(stat.AsSpan(88), 1700000000L); // st_mtim
        BitConverter.TryWriteBytes(stat.AsSpan(96), 123L);
        const int all = 1 | 2 | 4 | 8 | 16 | 32 | 128; // atime "now", mtime given
        var changes = StatLayout.ReadSetAttributes(stat, all, handle: 7);
        Assert.Equal(0x81EDu, changes.Mode);
        Assert.Equal(1000u, changes.Uid);
        Assert.Equal(2000u, changes.Gid);
        Assert.Equal(12345L, changes.Size);
        Assert.Equal(FuseSetAttributes.Now, changes.AccessTime);
        Assert.Equal(new FuseTimestamp(1700000000, 123), changes.ModificationTime);
        Assert.Equal(7ul, changes.Handle);

        var none = StatLayout.ReadSetAttributes(stat, 8, handle: null);
        Assert.Null(none.Mode);
        Assert.Equal(FuseSetAttributes.Omit, none.AccessTime);
        Assert.False(none.ChangesTimes);
    }
}
