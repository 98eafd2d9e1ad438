using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// A kubeconfig "exec" credential plugin (aws eks get-token, gke-gcloud-auth-plugin, kubelogin, ...): runs the
/// command, reads the ExecCredential JSON it prints and keeps the token until its expirationTimestamp.
/// Plugins that answer with a client certificate instead of a token are not supported.
/// </summary>
public sealed class ExecCredentialPlugin : IBearerTokenSource
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExpirySlack = TimeSpan.FromSeconds(30);

    private readonly string _command;
    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _apiVersion;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _expires;

    public ExecCredentialPlugin(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? apiVersion)
    {
        _command = command;
        _arguments = arguments;
        _environment = environment;
        _apiVersion = string.IsNullOrEmpty(apiVersion) ? "client.authentication.k8s.io/v1" : apiVersion;
    }

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is null || DateTimeOffset.UtcNow >= _expires - ExpirySlack)
                (_token, _expires) = await RunAsync(cancellationToken).ConfigureAwait(false);
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string Token, DateTimeOffset Expires)> RunAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in _arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in _environment) info.Environment[name] = value;
        info.Environment["KUBERNETES_EXEC_INFO"] = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = _apiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = new Dictionary<string, object> { ["interactive"] = false },
        });

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new KubernetesApiException($"cannot start the kubeconfig exec plugin {_command}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KubernetesApiException($"cannot start the kubeconfig exec plugin {_command}: {e.Message}", inner: e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RunTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                cancellationToken.ThrowIfCancellationRequested();
                throw new KubernetesApiException($"the kubeconfig exec plugin {_command} did not finish within {RunTimeout.TotalSeconds:0} s");
            }
            var stdout = await output.ConfigureAwait(false);
            var stderr = (await errors.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                var firstLine = stderr.Split('\n', 2)[0];
                throw new KubernetesApiException($"the kubeconfig exec plugin {_command} exited {process.ExitCode}: {firstLine}");
            }
            return ParseCredential(stdout);
        }
    }

    private (string Token, DateTimeOffset Expires) ParseCredential(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("status", out var status) ||
                !status.TryGetProperty("token", out var tokenElement) || tokenElement.GetString() is not { Length: > 0 } token)
                throw new KubernetesApiException($"the kubeconfig exec plugin {_command} returned no status.token (client certificates from exec plugins are not supported)");
            var expires = DateTimeOffset.MaxValue;
            if (status.TryGetProperty("expirationTimestamp", out var expiry) && expiry.GetString() is { Length: > 0 } text)
                expires = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return (token, expires);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new KubernetesApiException($"the kubeconfig exec plugin {_command} printed no valid ExecCredential JSON", inner: e);
        }
    }
}
