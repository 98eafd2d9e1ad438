using StashMount.Mount.Cli;
using StashMount.Mount.Writable;
using StashMount.Repository;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Writable;

/// <summary>The control socket between `stashmount commit` and the mount's daemon: one request, one line back.</summary>
public sealed class ControlChannelTests
{
    [Fact]
    public async Task CommitRequestGetsTheSnapshotIdNothingOrTheError()
    {
        using var temp = new TempDirectory("stashmount-control");
        var socket = temp.Combine("c.sock");
        var id = ObjectId.Hash("snapshot"u8);
        var answers = new Queue<Func<ObjectId?>>([() => id, () => null, () => throw new IOException("backend unreachable")]);
        await using (ControlServer.Start(socket, _ => Task.FromResult(answers.Dequeue()()), _ => { }))
        {
            Assert.Equal(id.ToString(), await ControlClient.RequestCommitAsync(socket, "/mnt", CancellationToken.None));
            Assert.Null(await ControlClient.RequestCommitAsync(socket, "/mnt", CancellationToken.None));
            var error = await Assert.ThrowsAsync<IOException>(() => ControlClient.RequestCommitAsync(socket, "/mnt", CancellationToken.None));
            Assert.Contains("backend unreachable", error.Message, StringComparison.Ordinal);
            Assert.Contains("stay in the spool", error.Message, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(socket));
        var gone = await Assert.ThrowsAsync<UsageException>(() => ControlClient.RequestCommitAsync(socket, "/mnt", CancellationToken.None));
        Assert.Equal("/mnt is not a writable stashmount mount (mount it with 'stashmount mount --write')", gone.Message);
    }

    [Fact]
    public async Task CommitOfAPathThatIsNoMountSaysSo()
    {
        using var temp = new TempDirectory("stashmount-control");
        var error = await Assert.ThrowsAsync<UsageException>(() => ControlClient.CommitAsync(temp.Path, CancellationToken.None));
        Assert.Equal($"{temp.Path} is not a stashmount mount", error.Message);
    }

    [Fact]
    public void SocketPathDependsOnlyOnTheMountpoint()
    {
        Assert.Equal(ControlSocket.PathFor("/mnt/backup"), ControlSocket.PathFor("/mnt/backup/"));
        Assert.NotEqual(ControlSocket.PathFor("/mnt/backup"), ControlSocket.PathFor("/mnt/other"));
        Assert.True(ControlSocket.PathFor("/mnt/" + new string('x', 300)).Length < 108);
    }
}
