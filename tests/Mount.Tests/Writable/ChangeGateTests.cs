using StashMount.Mount.Writable;

namespace StashMount.Mount.Tests.Writable;

/// <summary>A commit (exclusive) waits for changes in progress and holds new ones off until it is done.</summary>
public sealed class ChangeGateTests
{
    [Fact]
    public async Task ExclusiveWaitsForSharedAndBlocksNewShared()
    {
        var gate = new ChangeGate();
        var change = await gate.EnterSharedAsync(CancellationToken.None);
        var commit = gate.EnterExclusiveAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(commit.IsCompleted);
        var later = gate.EnterSharedAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(later.IsCompleted); // queued behind the waiting commit

        change.Dispose();
        var exclusive = await commit.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(later.IsCompleted);
        exclusive.Dispose();
        (await later.WaitAsync(TimeSpan.FromMinutes(1))).Dispose();
        (await gate.EnterExclusiveAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromMinutes(1))).Dispose();
    }

    [Fact]
    public async Task SharedHoldersRunTogether()
    {
        var gate = new ChangeGate();
        var first = await gate.EnterSharedAsync(CancellationToken.None);
        var second = await gate.EnterSharedAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        first.Dispose();
        second.Dispose();
        second.Dispose(); // a second dispose is harmless
        (await gate.EnterExclusiveAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromMinutes(1))).Dispose();
    }
}
