using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StashMount.TestSupport;

/// <summary>
/// A real server process (rclone, s3rver, azurite) listening on a free loopback port, started for a test and killed
/// (with its children) on dispose. The binary is found through PATH.
/// </summary>
public sealed class PeerServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriter _log = new();

    private PeerServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Output
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>A port nothing listens on right now (bind to port 0 and release it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="fileName"/>; <paramref name="arguments"/> gets the chosen port.</summary>
    public static async Task<PeerServer> StartAsync(string fileName, Func<int, IEnumerable<string>> arguments,
        IDictionary<string, string?>? environment = null, TimeSpan? startTimeout = null)
    {
        var deadline = DateTime.UtcNow + (startTimeout ?? TimeSpan.FromSeconds(60));
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var a in arguments(port)) info.ArgumentList.Add(a);
            if (environment != null)
                foreach (var (k, v) in environment)
                {
                    if (v is null) info.Environment.Remove(k);
                    else info.Environment[k] = v;
                }
            var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
            var server = new PeerServer(process, port);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                if (await server.AcceptsConnectionsAsync())
                    return server;
                await Task.Delay(100);
            }
            var output = server.Output;
            await server.DisposeAsync();
            // Another process may have taken the port between probe and bind: try a new one a few times.
            if (attempt >= 2 || DateTime.UtcNow >= deadline)
                throw new InvalidOperationException($"{fileName} did not start listening on 127.0.0.1:{port}: {output}");
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.WriteLine(line);
    }

    private async Task<bool> AcceptsConnectionsAsync()
    {
        using var client = new TcpClient();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
        }
        _process.Dispose();
    }
}
