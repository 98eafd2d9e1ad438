using System.Buffers.Binary;

namespace StashMount.Mount.Writable;

public sealed partial class WriteSpool
{
    private const string AccessAclName = "system.posix_acl_access";
    private bool _spoolAddsXattrs;
    private volatile bool _xattrsSet;

    /// <summary>
    /// Whether the commit must list every entry's xattrs: some were set since the last commit (or the tree was
    /// left by an earlier run), or the spool's file system gives new files xattrs of its own (an SELinux label,
    /// a default ACL above the spool). Otherwise no entry has any, and the commit spares a listxattr per entry.
    /// </summary>
    private bool TreeMayHaveXattrs => _spoolAddsXattrs || _xattrsSet;

    /// <summary>
    /// An xattr was set on an entry of the tree. cp -a sets the access ACL of every file it copies: an ACL of
    /// only owner, group and other entries is the mode bits, which the file system keeps as the mode, not as an
    /// xattr, so it is not counted.
    /// </summary>
    public void ExtendedAttributeSet(string name, ReadOnlySpan<byte> value)
    {
        if (name != AccessAclName || !IsModeOnlyAcl(value))
            _xattrsSet = true;
    }

    /// <summary>The POSIX ACL xattr (version 2, then entries of tag, permissions, id) holds only the three entries the mode bits stand for.</summary>
    internal static bool IsModeOnlyAcl(ReadOnlySpan<byte> value)
    {
        const int header = 4, entry = 8, version = 2;
        const ushort userObject = 0x01, groupObject = 0x04, other = 0x20;
        if (value.Length != header + 3 * entry || BinaryPrimitives.ReadUInt32LittleEndian(value) != version)
            return false;
        var tags = 0;
        for (var offset = header; offset < value.Length; offset += entry)
        {
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(value[offset..]);
            if (tag is not (userObject or groupObject or other))
                return false;
            tags |= tag;
        }
        return tags == (userObject | groupObject | other);
    }

    /// <summary>At the open: a tree left by an earlier run may hold anything; a labelled spool labels every new file.</summary>
    private void ProbeXattrs()
    {
        _xattrsSet = !_directory.TreeIsEmpty();
        _spoolAddsXattrs = SpoolPosix.ListXattrs(TreeRoot).Length > 0 || NewFileGetsXattrs(Path.Join(_directory.Path, "xattr-probe"));
    }

    private static bool NewFileGetsXattrs(string probe)
    {
        try
        {
            File.WriteAllBytes(probe, [0]);
            var labelled = SpoolPosix.ListXattrs(probe).Length > 0;
            File.Delete(probe);
            return labelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Fuse.FuseException)
        {
            return true; // not known (a full spool disk): list them
        }
    }
}
