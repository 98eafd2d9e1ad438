using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace StashMount.Mount.Fuse.Native;

/// <summary>
/// Writes struct stat and struct fuse_entry_param into native buffers. struct stat differs between x86_64
/// (144 bytes, 8-byte st_nlink before st_mode) and aarch64 (128 bytes, st_mode before a 4-byte st_nlink),
/// so the field offsets are chosen once from the process architecture.
/// </summary>
internal static class StatLayout
{
    private static readonly bool IsArm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static readonly int StatSize = IsArm64 ? 128 : 144;

    /// <summary>ino, generation, stat, attr_timeout, entry_timeout.</summary>
    public static readonly int EntryParamSize = 16 + StatSize + 16;

    /// <summary>Largest size of either buffer, for stackalloc.</summary>
    public const int MaxEntryParamSize = 176;

    public static void WriteStat(Span<byte> stat, in FuseAttributes a)
    {
        stat[..StatSize].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(stat[8..], a.Inode);
        if (IsArm64)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(stat[16..], a.Mode);
            BinaryPrimitives.WriteUInt32LittleEndian(stat[20..], (uint)Math.Min(a.Links, uint.MaxValue));
            BinaryPrimitives.WriteUInt32LittleEndian(stat[24..], a.Uid);
            BinaryPrimitives.WriteUInt32LittleEndian(stat[28..], a.Gid);
            BinaryPrimitives.WriteUInt64LittleEndian(stat[32..], a.Rdev);
            BinaryPrimitives.WriteInt32LittleEndian(stat[56..], a.BlockSize > 0 ? a.BlockSize : 4096);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(stat[16..], a.Links);
            BinaryPrimitives.WriteUInt32LittleEndian(stat[24..], a.Mode);
            BinaryPrimitives.WriteUInt32LittleEndian(stat[28..], a.Uid);
            BinaryPrimitives.WriteUInt32LittleEndian(stat[32..], a.Gid);
            BinaryPrimitives.WriteUInt64LittleEndian(stat[40..], a.Rdev);
            BinaryPrimitives.WriteInt64LittleEndian(stat[56..], a.BlockSize > 0 ? a.BlockSize : 4096);
        }
        BinaryPrimitives.WriteInt64LittleEndian(stat[48..], a.Size);
        BinaryPrimitives.WriteInt64LittleEndian(stat[64..], a.Blocks);
        WriteTime(stat[72..], a.AccessTime);
        WriteTime(stat[88..], a.ModificationTime);
        WriteTime(stat[104..], a.ChangeTime);
    }

    public static void WriteEntryParam(Span<byte> entry, in FuseEntry e)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(entry, e.Attributes.Inode);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], 0);
        WriteStat(entry[16..], e.Attributes);
        BinaryPrimitives.WriteDoubleLittleEndian(entry[(16 + StatSize)..], e.AttributeTimeout.TotalSeconds);
        BinaryPrimitives.WriteDoubleLittleEndian(entry[(24 + StatSize)..], e.EntryTimeout.TotalSeconds);
    }

    /// <summary>The fields of a setattr request's struct stat that <paramref name="toSet"/> (FUSE_SET_ATTR_*) names.</summary>
    public static FuseSetAttributes ReadSetAttributes(ReadOnlySpan<byte> stat, int toSet, ulong? handle)
    {
        const int setMode = 1, setUid = 2, setGid = 4, setSize = 8, setAtime = 16, setMtime = 32, atimeNow = 128, mtimeNow = 256;
        int modeAt = IsArm64 ? 16 : 24, uidAt = IsArm64 ? 24 : 28, gidAt = IsArm64 ? 28 : 32;
        return new FuseSetAttributes
        {
            Mode = (toSet & setMode) != 0 ? BinaryPrimitives.ReadUInt32LittleEndian(stat[modeAt..]) : null,
            Uid = (toSet & setUid) != 0 ? BinaryPrimitives.ReadUInt32LittleEndian(stat[uidAt..]) : null,
            Gid = (toSet & setGid) != 0 ? BinaryPrimitives.ReadUInt32LittleEndian(stat[gidAt..]) : null,
            Size = (toSet & setSize) != 0 ? BinaryPrimitives.ReadInt64LittleEndian(stat[48..]) : null,
            AccessTime = Time(stat[72..], toSet, setAtime, atimeNow),
            ModificationTime = Time(stat[88..], toSet, setMtime, mtimeNow),
            Handle = handle,
        };

        static FuseTimestamp Time(ReadOnlySpan<byte> timespec, int toSet, int set, int now) =>
            (toSet & now) != 0 ? FuseSetAttributes.Now
            : (toSet & set) != 0 ? new FuseTimestamp(BinaryPrimitives.ReadInt64LittleEndian(timespec), BinaryPrimitives.ReadInt64LittleEndian(timespec[8..]))
            : FuseSetAttributes.Omit;
    }

    private static void WriteTime(Span<byte> timespec, FuseTimestamp t)
    {
        BinaryPrimitives.WriteInt64LittleEndian(timespec, t.Seconds);
        BinaryPrimitives.WriteInt64LittleEndian(timespec[8..], t.Nanoseconds);
    }
}
