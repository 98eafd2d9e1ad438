using StashMount.Backends.Local;
using StashMount.Mount.Writable;
using StashMount.Repository;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Writable;

/// <summary>A restic-made repository in a temp folder, opened for a spool whose tree the tests fill directly (no FUSE).</summary>
internal sealed class SpoolFixture : IAsyncDisposable
{
    private readonly TempDirectory _temp = new("stashmount-spool");
    private LocalBackend? _backend;

    private SpoolFixture() => Restic = new ResticCli(_temp.Combine("repo"));

    public ResticCli Restic { get; }

    public ResticRepository Repository { get; private set; } = null!;

    public string SpoolPath => _temp.Combine("spool");

    public List<string> Log { get; } = [];

    public string Combine(string name) => _temp.Combine(name);

    public static async Task<SpoolFixture> CreateAsync(int version)
    {
        var fixture = new SpoolFixture();
        await fixture.Restic.InitAsync(version);
        fixture._backend = new LocalBackend(fixture.Restic.Repository);
        fixture.Repository = await ResticRepository.OpenAsync(fixture._backend, ResticCli.Password);
        return fixture;
    }

    public Task<WriteSpool> OpenSpoolAsync(TimeSpan? commitAfter = null) =>
        WriteSpool.OpenAsync(Repository, new WriteSpoolOptions
        {
            SpoolDirectory = SpoolPath,
            Hostname = "spool-host",
            Tags = ["spooled"],
            CommitAfter = commitAfter ?? TimeSpan.FromSeconds(30),
            Log = message => { lock (Log) Log.Add(message); },
        }, CancellationToken.None);

    /// <summary>Reports every regular file below the tree as closed and every xattr as set, as the FUSE layer does during a copy.</summary>
    public static void ReportAllClosed(WriteSpool spool)
    {
        var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var entry in Directory.EnumerateFileSystemEntries(spool.TreeRoot, "*", everything))
            foreach (var (name, value) in FileStatus.ExtendedAttributes(entry))
                spool.ExtendedAttributeSet(name, value);
        foreach (var file in Directory.EnumerateFiles(spool.TreeRoot, "*", everything))
            if (new FileInfo(file).LinkTarget is null)
                spool.FileClosed(Path.GetRelativePath(spool.TreeRoot, file));
    }

    public static async Task WaitForIngestionAsync(WriteSpool spool) =>
        Assert.True(await FuseMounts.WaitUntilAsync(() => spool.IngestionIdle, TimeSpan.FromMinutes(3)), "background ingestion did not finish");

    public async Task<string> RestoreAsync(ObjectId snapshot, string name)
    {
        (await Restic.RunAsync("check", "--read-data")).EnsureSuccess("restic check --read-data");
        var target = _temp.Combine(name);
        (await Restic.RunAsync("restore", snapshot.ToString(), "--target", target)).EnsureSuccess("restic restore");
        return target;
    }

    public int SnapshotCount() => Directory.GetFiles(Path.Combine(Restic.Repository, "snapshots")).Length;

    public async ValueTask DisposeAsync()
    {
        if (_backend != null)
            await _backend.DisposeAsync();
        _temp.Dispose();
    }
}
