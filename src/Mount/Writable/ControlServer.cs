using System.Net.Sockets;
using System.Text;
using StashMount.Repository;

namespace StashMount.Mount.Writable;

/// <summary>
/// Answers <c>stashmount commit</c> on the mount's control socket (see <see cref="ControlSocket"/>): each request
/// runs one commit and gets back one line, the snapshot ID, "nothing" or the error. Only the daemon's user (and
/// root) may connect: the socket is created with mode 0600.
/// </summary>
internal sealed class ControlServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _path;
    private readonly Func<CancellationToken, Task<ObjectId?>> _commit;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private ControlServer(Socket listener, string path, Func<CancellationToken, Task<ObjectId?>> commit, Action<string> log)
    {
        _listener = listener;
        _path = path;
        _commit = commit;
        _log = log;
        _accepting = AcceptLoopAsync();
    }

    public static ControlServer Start(string path, Func<CancellationToken, Task<ObjectId?>> commit, Action<string> log)
    {
        // A socket file left by a killed daemon would make bind fail; the mountpoint is ours now.
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new ControlServer(listener, path, commit, log);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        await using (var stream = new NetworkStream(client))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true })
        {
            try
            {
                var request = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
                if (request != ControlSocket.CommitRequest)
                {
                    await writer.WriteLineAsync(ControlSocket.ErrorReply + "unknown request").ConfigureAwait(false);
                    return;
                }
                string reply;
                try
                {
                    var id = await _commit(_stop.Token).ConfigureAwait(false);
                    reply = id is { } snapshot ? ControlSocket.SnapshotReply + snapshot : ControlSocket.NothingReply;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log($"commit failed, the files stay in the spool: {e.Message.ReplaceLineEndings(" ")}");
                    reply = ControlSocket.ErrorReply + e.Message.ReplaceLineEndings(" ") + " (the files stay in the spool)";
                }
                await writer.WriteLineAsync(reply).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the daemon is stopping; the commit itself, if any, completed or failed on its own.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        try { File.Delete(_path); } catch (IOException) { }
        _stop.Dispose();
    }
}
