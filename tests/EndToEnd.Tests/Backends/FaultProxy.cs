using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StashMount.EndToEnd.Tests.Backends;

/// <summary>
/// A loopback HTTP proxy in front of a storage server that injects the faults real networks and object stores show:
/// slow answers, connections reset before or in the middle of a response, and 503 Service Unavailable. It handles one
/// request per connection (it asks the server to close after answering), which keeps it a plain byte pump.
/// <see cref="Dead"/> turns it into a black hole: connections are accepted and never answered.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    public enum Fault { None, Delay, ResetBeforeAnswer, ResetMidBody, ServiceUnavailable }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly Func<int, string, Fault> _schedule;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly int[] _injected = new int[Enum.GetValues<Fault>().Length];
    private int _requests;

    /// <param name="schedule">The fault for the n-th request (0-based) with this request line.</param>
    public FaultProxy(int upstreamPort, Func<int, string, Fault> schedule)
    {
        _upstreamPort = upstreamPort;
        _schedule = schedule;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Every third request gets a fault, rotating through all kinds; the rest pass untouched.</summary>
    public static Fault Rotating(int n, string requestLine) => (n % 3) != 1 ? Fault.None : ((n / 3) % 4) switch
    {
        0 => Fault.Delay,
        1 => Fault.ResetBeforeAnswer,
        2 => Fault.ResetMidBody,
        _ => Fault.ServiceUnavailable,
    };

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public TimeSpan DelayLength { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>When set, connections are accepted and then ignored: a server that hangs.</summary>
    public bool Dead { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public int Injected(Fault fault) => Volatile.Read(ref _injected[(int)fault]);

    private async Task AcceptLoopAsync()
    {
        var held = new List<TcpClient>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
            if (Dead)
            {
                lock (held) held.Add(client);
                continue;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
        lock (held)
            foreach (var client in held)
                client.Dispose();
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var accepted = client;
        using var upstream = new TcpClient();
        try
        {
            var clientStream = client.GetStream();
            var head = await ReadHeadAsync(clientStream);
            if (head is null)
                return;
            var requestLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)];
            var fault = _schedule(Interlocked.Increment(ref _requests) - 1, requestLine);
            Interlocked.Increment(ref _injected[(int)fault]);
            switch (fault)
            {
                case Fault.Delay:
                    await Task.Delay(DelayLength, _stop.Token);
                    break;
                case Fault.ResetBeforeAnswer:
                    Reset(client);
                    return;
                case Fault.ServiceUnavailable:
                    await clientStream.WriteAsync(Encoding.ASCII.GetBytes(
                        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 11\r\nConnection: close\r\n\r\nslow down\r\n"), _stop.Token);
                    return;
            }
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            var upstreamStream = upstream.GetStream();
            await upstreamStream.WriteAsync(Encoding.ASCII.GetBytes(WithConnectionClose(head)), _stop.Token);
            // The request body (if any) flows on while the answer comes back; the server closes after answering.
            _ = clientStream.CopyToAsync(upstreamStream, _stop.Token).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            var limit = fault == Fault.ResetMidBody ? 1500 : long.MaxValue;
            var buffer = new byte[64 * 1024];
            long forwarded = 0;
            int n;
            while ((n = await upstreamStream.ReadAsync(buffer, _stop.Token)) > 0)
            {
                var take = (int)Math.Min(n, limit - forwarded);
                await clientStream.WriteAsync(buffer.AsMemory(0, take), _stop.Token);
                forwarded += take;
                if (forwarded >= limit)
                {
                    Reset(client);
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes with RST instead of FIN, as a crashed server or a middlebox does.</summary>
    private static void Reset(TcpClient client)
    {
        client.Client.LingerState = new LingerOption(true, 0);
        client.Client.Close();
    }

    private static string WithConnectionClose(string head)
    {
        var lines = head.Split("\r\n").Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase) && l.Length > 0);
        return string.Join("\r\n", lines) + "\r\nConnection: close\r\n\r\n";
    }

    /// <summary>Reads up to the blank line that ends the request head, byte by byte so no body byte is consumed.</summary>
    private async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (head.Length < 64 * 1024)
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
                return null;
            head.Append((char)one[0]);
            if (head.Length >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r')
                return head.ToString();
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
