using StashMount.Mount.Writable;

namespace StashMount.Mount.Tests.Writable;

/// <summary>
/// Which access ACLs a commit may ignore: cp -a sets one on every file it copies, and one that only repeats the
/// mode bits is kept by the file system as the mode, never as an xattr restic would record.
/// </summary>
public sealed class ModeOnlyAclTests
{
    private static byte[] Acl(params (ushort Tag, ushort Permissions, uint Id)[] entries)
    {
        var value = new byte[4 + 8 * entries.Length];
        BitConverter.TryWriteBytes(value.AsSpan(0, 4), 2u);
        for (var i = 0; i < entries.Length; i++)
        {
            BitConverter.TryWriteBytes(value.AsSpan(4 + 8 * i, 2), entries[i].Tag);
            BitConverter.TryWriteBytes(value.AsSpan(6 + 8 * i, 2), entries[i].Permissions);
            BitConverter.TryWriteBytes(value.AsSpan(8 + 8 * i, 4), entries[i].Id);
        }
        return value;
    }

    [Fact]
    public void TheAclCpSetsForAnOrdinaryFileIsTheMode()
    {
        // What strace shows cp -a sending for a 0644 file without an ACL.
        byte[] fromCp = [2, 0, 0, 0, 1, 0, 6, 0, 255, 255, 255, 255, 4, 0, 4, 0, 255, 255, 255, 255, 32, 0, 4, 0, 255, 255, 255, 255];
        Assert.True(WriteSpool.IsModeOnlyAcl(fromCp));
    }

    [Fact]
    public void NamedEntriesOrAMaskAreARealAcl()
    {
        Assert.False(WriteSpool.IsModeOnlyAcl(Acl((0x01, 6, uint.MaxValue), (0x02, 6, 1000), (0x04, 4, uint.MaxValue), (0x10, 6, uint.MaxValue), (0x20, 4, uint.MaxValue))));
        Assert.False(WriteSpool.IsModeOnlyAcl(Acl((0x01, 6, uint.MaxValue), (0x10, 4, uint.MaxValue), (0x20, 4, uint.MaxValue))));
        Assert.False(WriteSpool.IsModeOnlyAcl(Acl((0x01, 6, uint.MaxValue), (0x01, 6, uint.MaxValue), (0x20, 4, uint.MaxValue))));
    }

    [Fact]
    public void AnythingElseIsNotTheMode()
    {
        var mode = Acl((0x01, 6, uint.MaxValue), (0x04, 4, uint.MaxValue), (0x20, 4, uint.MaxValue));
        Assert.True(WriteSpool.IsModeOnlyAcl(mode));
        var otherVersion = (byte[])mode.Clone();
        otherVersion[0] = 1;
        Assert.False(WriteSpool.IsModeOnlyAcl(otherVersion));
        Assert.False(WriteSpool.IsModeOnlyAcl(mode.AsSpan(0, mode.Length - 1)));
        Assert.False(WriteSpool.IsModeOnlyAcl([]));
    }
}
