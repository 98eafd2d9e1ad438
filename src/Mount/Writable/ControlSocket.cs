using System.Security.Cryptography;
using System.Text;

namespace StashMount.Mount.Writable;

/// <summary>
/// Where a writable mount's daemon listens for <c>stashmount commit</c>: a Unix domain socket whose name derives
/// from the mountpoint's absolute path, so the client finds it from the path alone (no registry, no environment).
/// It lives directly in /tmp because a socket path is limited to 108 bytes, which a spool path may exceed.
/// </summary>
internal static class ControlSocket
{
    public const string CommitRequest = "commit";
    public const string SnapshotReply = "snapshot ";
    public const string NothingReply = "nothing";
    public const string ErrorReply = "error ";

    public static string PathFor(string mountPoint)
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(mountPoint));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..20];
        return $"/tmp/stashmount-{hash}.sock";
    }
}
