using StashMount.EndToEnd.Tests.Mount;
using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Backends;

/// <summary>
/// A REST server (rclone) behind <see cref="FaultProxy"/>: restores and mount reads survive delays, resets and 503s
/// with the right bytes, and a server that stops answering gives EIO (mount) or one line (CLI), never a hang.
/// </summary>
[Collection("Backends end to end")]
public sealed class FaultInjectionTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("stashmount-e2e-faults");
    private PeerServer _server = null!;
    private ResticCli _direct = null!;
    private string _source = null!;

    public async Task InitializeAsync()
    {
        _server = await StoragePeers.RcloneRestAsync(_temp.CreateSubdirectory("rclone"));
        _direct = new ResticCli($"rest:http://127.0.0.1:{_server.Port}/faulty/");
        await _direct.InitAsync();
        _source = _temp.Combine("source");
        SampleFiles.Create(_source, seed: 9);
        await File.WriteAllBytesAsync(Path.Combine(_source, "large.bin"), SampleFiles.Random(24 * 1024 * 1024 + 5, 77));
        await _direct.BackupAsync(_temp.Path, ["source"]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private ResticCli ThroughProxy(FaultProxy proxy) => new($"rest:http://127.0.0.1:{proxy.Port}/faulty/");

    private static void AssertEveryFaultHappened(FaultProxy proxy)
    {
        foreach (var fault in new[] { FaultProxy.Fault.Delay, FaultProxy.Fault.ResetBeforeAnswer, FaultProxy.Fault.ResetMidBody, FaultProxy.Fault.ServiceUnavailable })
            Assert.True(proxy.Injected(fault) > 0, $"no {fault} was injected in {proxy.Requests} requests");
    }

    [Fact]
    public async Task RestoreThroughFaultsEqualsResticRestore()
    {
        await using var proxy = new FaultProxy(_server.Port, FaultProxy.Rotating);
        var expected = _temp.Combine("restic-restore");
        (await _direct.RunAsync("restore", "latest", "--target", expected)).EnsureSuccess("restic restore");

        var actual = _temp.Combine("stashmount-restore");
        var ours = new StashMountCli(ThroughProxy(proxy).Repository);
        var result = await ours.RunAsync(["restore", "latest", "--target", actual], new Dictionary<string, string?> { ["HOME"] = _temp.Path }, TimeSpan.FromMinutes(8));
        Assert.True(result.ExitCode == 0, result.StandardError);
        TreeAssert.Equal(TreeCapture.Capture(expected), TreeCapture.Capture(actual));
        AssertEveryFaultHappened(proxy);
    }

    [Fact]
    public async Task MountReadsThroughFaultsGiveTheRightBytes()
    {
        await using var proxy = new FaultProxy(_server.Port, FaultProxy.Rotating);
        var mountPoint = _temp.CreateSubdirectory("mnt");
        await using var mount = await MountProcess.StartAsync(ThroughProxy(proxy), mountPoint, "--refresh", "0");
        var diff = await ProcessRunner.RunAsync("diff", ["-r", "--no-dereference", _source, Path.Combine(mountPoint, "snapshots", "latest", "source")],
            timeout: TimeSpan.FromMinutes(8));
        Assert.True(diff.ExitCode == 0, diff.StandardOutput + diff.StandardError + mount.Output);
        AssertEveryFaultHappened(proxy);
    }

    [Fact]
    public async Task DeadServerGivesEioInTheMountAndOneLineFromTheCli()
    {
        await using var proxy = new FaultProxy(_server.Port, (_, _) => FaultProxy.Fault.None);
        var mountPoint = _temp.CreateSubdirectory("mnt");
        await using var mount = await MountProcess.StartAsync(ThroughProxy(proxy), mountPoint, "--refresh", "0", "--timeout", "10s", "--prefetch", "0");
        var mounted = Path.Combine(mountPoint, "snapshots", "latest", "source");
        Assert.Contains("large.bin", Directory.GetFiles(mounted).Select(Path.GetFileName));

        proxy.Dead = true;
        // The process timeout only catches a hang; the mount must answer EIO after its own --timeout.
        var read = await ProcessRunner.RunAsync("cat", [Path.Combine(mounted, "large.bin")], timeout: TimeSpan.FromMinutes(4));
        Assert.NotEqual(0, read.ExitCode);
        Assert.Contains("Input/output error", read.StandardError);

        var cli = await new StashMountCli(ThroughProxy(proxy).Repository).RunAsync(["snapshots", "--no-lock", "-o", "timeout=5s"],
            new Dictionary<string, string?> { ["HOME"] = _temp.Path }, TimeSpan.FromMinutes(4));
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("no answer within 5 s", cli.StandardError);
        Assert.Single(cli.StandardError.TrimEnd('\n').Split('\n'));
    }
}
