using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Read;

/// <summary>
/// Repositories written by restic 0.14 from <see cref="SampleTree"/>, shared by the read-path tests: format v2 with
/// three snapshots (two with identical times, different hosts and tags) and format v1 with one.
/// </summary>
public sealed class ReadFixture : IAsyncLifetime
{
    public TempDirectory Temp { get; } = new("stashmount-read");

    public string Source => Temp.Combine("source", "data");

    public ResticCli ResticV2 { get; private set; } = null!;

    public ResticCli ResticV1 { get; private set; } = null!;

    public StashMountCli StashMountV2 => new(ResticV2.Repository);

    public StashMountCli StashMountV1 => new(ResticV1.Repository);

    public string LatestV2 { get; private set; } = "";

    public string LatestV1 { get; private set; } = "";

    public async Task InitializeAsync()
    {
        SampleTree.Create(Source);
        ResticV2 = new ResticCli(Temp.Combine("repo-v2"));
        await ResticV2.InitAsync(2);
        await ResticV2.BackupAsync(Temp.Path, [Source], "--host", "alpha", "--tag", "t1,t2", "--time", "2024-01-02 03:04:05");
        await ResticV2.BackupAsync(Temp.Path, [Source], "--host", "beta", "--tag", "t3", "--time", "2024-01-02 03:04:05");
        LatestV2 = await ResticV2.BackupAsync(Temp.Path, [Source]);
        ResticV1 = new ResticCli(Temp.Combine("repo-v1"));
        await ResticV1.InitAsync(1);
        LatestV1 = await ResticV1.BackupAsync(Temp.Path, [Source]);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ReadCollection : ICollectionFixture<ReadFixture>
{
    public const string Name = "read-path";
}
