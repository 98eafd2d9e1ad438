using System.Net;
using System.Net.Sockets;
using StashMount.TestSupport;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.Mount.Tests.Cli;

/// <summary>The Kubernetes global options: conflicts are usage errors, cluster failures are one line.</summary>
public sealed class KubernetesOptionsTests
{
    [Fact]
    public async Task ComponentWithoutKubeStashRepositoryIsRefused()
    {
        var result = await InProcessCli.RunAsync(null, "snapshots", "--kubestash-component", "daily/dump");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Fatal: --kubestash-component needs --kubestash-repository\n", result.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task TwoKubernetesSourcesAreRefused()
    {
        var result = await InProcessCli.RunAsync(null, "snapshots", "--k8s-repository", "a/b", "--kubestash-repository", "c/d");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("give only one of", result.Error);
    }

    [Fact]
    public async Task UnreachableApiServerIsOneLine()
    {
        using var temp = new TempDirectory();
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var kubeconfig = KubeconfigWriter.Write(temp.Combine("config"), new Uri($"http://127.0.0.1:{port}/"), "", "    token: x");
        var result = await InProcessCli.RunAsync(null, "snapshots", "--k8s-repository", "demo/repo", "--kubeconfig", kubeconfig);
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains("is unreachable", result.Error);
    }

    [Fact]
    public async Task BadObjectNameIsAUsageError()
    {
        using var temp = new TempDirectory();
        var kubeconfig = KubeconfigWriter.Write(temp.Combine("config"), new Uri("http://127.0.0.1:1/"), "", "    token: x");
        var result = await InProcessCli.RunAsync(null, "snapshots", "--k8s-repository", "a/b/c", "--kubeconfig", kubeconfig);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("expected NAMESPACE/NAME", result.Error);
    }
}
