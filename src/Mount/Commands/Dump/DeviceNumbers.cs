namespace StashMount.Mount.Commands.Dump;

/// <summary>Splits a Linux dev_t (glibc's encoding, as restic stores a node's "device") into major and minor.</summary>
internal static class DeviceNumbers
{
    public static uint Major(ulong device) => (uint)(((device >> 32) & 0xFFFFF000) | ((device >> 8) & 0xFFF));

    public static uint Minor(ulong device) => (uint)(((device >> 12) & 0xFFFFFF00) | (device & 0xFF));
}
