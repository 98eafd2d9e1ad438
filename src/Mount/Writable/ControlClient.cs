using System.Net.Sockets;
using System.Text;
using StashMount.Mount.Cli;
using StashMount.Mount.Fuse;

namespace StashMount.Mount.Writable;

/// <summary>The <c>stashmount commit</c> side of the control socket: asks the mount's daemon to commit and waits for the answer.</summary>
internal static class ControlClient
{
    /// <summary>The new snapshot's ID, or null when there was nothing to commit. Throws <see cref="UsageException"/> naming what is wrong.</summary>
    public static async Task<string?> CommitAsync(string mountPoint, CancellationToken cancellationToken)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mountPoint));
        if (!MountTable.IsMountPoint(full))
            throw new UsageException($"{full} is not a stashmount mount");
        return await RequestCommitAsync(ControlSocket.PathFor(full), full, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One commit request on the socket at <paramref name="socketPath"/>; <paramref name="full"/> names the mount in messages.</summary>
    public static async Task<string?> RequestCommitAsync(string socketPath, string full, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            throw new UsageException($"{full} is not a writable stashmount mount (mount it with 'stashmount mount --write')");
        }
        await using var stream = new NetworkStream(socket);
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" })
        {
            await writer.WriteLineAsync(ControlSocket.CommitRequest).ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var reply = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"the stashmount daemon of {full} stopped before answering; the files stay in its spool");
        if (reply.StartsWith(ControlSocket.SnapshotReply, StringComparison.Ordinal))
            return reply[ControlSocket.SnapshotReply.Length..];
        if (reply == ControlSocket.NothingReply)
            return null;
        throw new IOException("commit failed: " + (reply.StartsWith(ControlSocket.ErrorReply, StringComparison.Ordinal) ? reply[ControlSocket.ErrorReply.Length..] : reply));
    }
}
