using System.Text;
using StashMount.Mount.Fuse;
using StashMount.Mount.Tests.Fuse;
using StashMount.Mount.Writable;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Writable;

/// <summary>
/// A real FUSE mount of a small read-only tree (snapshots/ with a few files, as the listing layer has) with a
/// writable new/ over a <see cref="RecordingSpool"/>. Unmounts (fusermount3 -uz) and deletes everything on dispose.
/// </summary>
internal sealed class WritableMountFixture : IDisposable
{
    private readonly TempDirectory _temp = new("stashmount-write");
    private readonly FuseSession _session;

    public WritableMountFixture()
    {
        MountPoint = _temp.CreateSubdirectory("mnt");
        Spool = new RecordingSpool(_temp.CreateSubdirectory("spool"));
        var snapshots = new InMemoryFileSystem();
        var listing = snapshots.AddDirectory(FuseFileSystem.RootInode, "snapshots");
        var snapshot = snapshots.AddDirectory(listing, "2024-05-06T07:08:09Z");
        for (var i = 0; i < 50; i++)
            snapshots.AddFile(snapshot, $"file{i:00}", Encoding.UTF8.GetBytes($"content {i}\n"));
        Log = new StringWriter();
        var log = TextWriter.Synchronized(Log);
        FileSystem = new WritableMountFileSystem(snapshots, new SpoolFileSystem(Spool, log.WriteLine));
        try
        {
            _session = FuseSession.Mount(FileSystem, MountPoint, new FuseMountOptions { Log = log.WriteLine });
        }
        catch
        {
            _temp.Dispose();
            throw;
        }
    }

    public string MountPoint { get; }

    public RecordingSpool Spool { get; }

    public WritableMountFileSystem FileSystem { get; }

    public StringWriter Log { get; }

    public string New => Path.Join(MountPoint, "new");

    public string Temp(string name) => _temp.Combine(name);

    public void Dispose()
    {
        try { _session.Dispose(); }
        finally
        {
            FuseMounts.ForceUnmount(MountPoint);
            Spool.Dispose();
            _temp.Dispose();
        }
    }
}
