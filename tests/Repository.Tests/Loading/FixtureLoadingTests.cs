using System.Text;
using StashMount.Backends;
using StashMount.Backends.Local;
using StashMount.Repository.Index;
using StashMount.Repository.Packs;
using StashMount.Repository.Trees;
using StashMount.TestSupport;

namespace StashMount.Repository.Tests.Loading;

/// <summary>Loads index, snapshots, trees and every blob of the restic 0.14 v2 fixture (password geheim).</summary>
public sealed class FixtureLoadingTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _repo;

    public FixtureLoadingTests()
    {
        _repo = FixtureArchive.ExtractRepository(_temp.Path);
    }

    public void Dispose() => _temp.Dispose();

    private async Task<ResticRepository> OpenAsync()
    {
        var repo = await ResticRepository.OpenAsync(new LocalBackend(_repo), ResticCli.Password);
        Assert.Equal(1, await repo.LoadIndexAsync());
        return repo;
    }

    [Fact]
    public async Task LoadsIndexOnceAndSnapshot()
    {
        await using var repo = await OpenAsync();
        Assert.Equal(0, await repo.LoadIndexAsync());
        Assert.Equal(8, repo.Index.Count);

        var snapshot = Assert.Single(await repo.LoadSnapshotsAsync());
        Assert.Equal(ObjectId.Parse("82aa14fabdaa42e52e6bb6315b7197d3bf1e71e5f532789f9cd30771602f20f8"), snapshot.Id);
        Assert.Equal(ObjectId.Parse("8ae196781ff50eb7c1c7d1f0b06c7e8c7da9e7e15852b8fc7b059d98077eb83a"), snapshot.Tree);
        Assert.Equal(("fixture", "root"), (snapshot.Hostname, snapshot.Username));
        Assert.Equal(["fx"], snapshot.Tags);
        Assert.Equal(["/tmp/fx/src"], snapshot.Paths);
        Assert.Equal("2026-11-22T01:26:31.769119761Z", snapshot.TimeText);
    }

    [Fact]
    public async Task WalksTreesAndReadsFileContents()
    {
        await using var repo = await OpenAsync();
        var snapshot = (await repo.LoadSnapshotsAsync())[0];
        var src = await SnapshotComparer.FindTreeAsync(repo, snapshot.Tree, "/tmp/fx/src");
        Assert.Equal(["dir", "empty", "hello.txt", "link"], src.Nodes.Select(n => n.Name));
        Assert.Same(src, await repo.LoadTreeAsync(src.Id));

        var hello = src.Nodes[2];
        Assert.StartsWith("fbbd6919", hello.Content[0].ToString());
        Assert.Equal("hello restic\n", Encoding.UTF8.GetString(await repo.LoadBlobAsync(hello.Content[0], BlobType.Data)));
        Assert.Empty(src.Nodes[1].Content);
        Assert.Equal((NodeType.Symlink, "hello.txt"), (src.Nodes[3].Type, src.Nodes[3].LinkTarget));

        var dir = await repo.LoadTreeAsync(src.Nodes[0].Subtree!.Value);
        var lines = dir.Nodes.Single(n => n.Name == "lines.txt");
        var expected = new StringBuilder();
        for (var i = 0; i < 200_000; i++)
            expected.Append("line ").Append(i).Append('\n');
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(await ReadFileAsync(repo, lines)));
        var zeros = dir.Nodes.Single(n => n.Name == "zeros.bin");
        Assert.Equal(new byte[600 * 1024], await ReadFileAsync(repo, zeros));
    }

    [Fact]
    public async Task EveryIndexedBlobMatchesItsPackHeaderAndLoads()
    {
        await using var repo = await OpenAsync();
        var packs = new List<BackendFileInfo>();
        await foreach (var pack in repo.Backend.ListAsync(FileType.Pack))
            packs.Add(pack);
        Assert.Equal(2, packs.Count);
        var blobs = 0;
        foreach (var pack in packs)
        {
            var header = await PackHeaderReader.ReadAsync(repo.Backend, repo.Key, ObjectId.Parse(pack.Name), pack.Size);
            Assert.Equal(pack.Size, PackHeaderParser.ExpectedPackSize(header));
            foreach (var blob in header)
            {
                Assert.True(repo.Index.TryGet(blob.Id, blob.Type, out var indexed));
                Assert.Equal(blob, indexed);
                var plaintext = await repo.LoadBlobAsync(blob.Id, blob.Type);
                Assert.Equal(blob.Id, ObjectId.Hash(plaintext));
                blobs++;
            }
        }
        Assert.Equal(8, blobs);
    }

    [Fact]
    public async Task UnknownBlobIsNotFound()
    {
        await using var repo = await OpenAsync();
        var e = await Assert.ThrowsAsync<BlobNotFoundException>(() => repo.LoadBlobAsync(ObjectId.Hash("nothing"u8), BlobType.Data));
        Assert.Contains("not found", e.Message);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => repo.LoadTreeAsync(ObjectId.Hash("nothing"u8)));
    }

    [Fact]
    public async Task DamagedPackFailsNamingBlobAndPackThenAnIntactCopyIsUsed()
    {
        await using var repo = await OpenAsync();
        var hello = await FindHelloAsync(repo);
        Assert.True(repo.Index.TryGet(hello, BlobType.Data, out var blob));
        var packPath = Path.Combine(_repo, "data", blob.PackId.ToString()[..2], blob.PackId.ToString());

        // A second copy of the pack under another name, registered as restic would after a repack.
        var copyId = ObjectId.Hash("copy"u8);
        var copyPath = Path.Combine(_repo, "data", copyId.ToString()[..2], copyId.ToString());
        Directory.CreateDirectory(Path.GetDirectoryName(copyPath)!);
        File.Copy(packPath, copyPath);
        var copied = await PackHeaderReader.ReadAsync(repo.Backend, repo.Key, copyId);

        File.SetUnixFileMode(packPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var stream = new FileStream(packPath, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = blob.Offset + 20;
            var b = stream.ReadByte();
            stream.Position = blob.Offset + 20;
            stream.WriteByte((byte)(b ^ 0xff));
        }
        var e = await Assert.ThrowsAsync<IntegrityException>(() => repo.LoadBlobAsync(hello, BlobType.Data));
        Assert.Contains(hello.ToString(), e.Message);
        Assert.Contains(blob.PackId.ToString(), e.Message);

        repo.Index.Add(copied);
        Assert.Equal(2, repo.Index.GetAll(hello, BlobType.Data).Count);
        Assert.Equal("hello restic\n", Encoding.UTF8.GetString(await repo.LoadBlobAsync(hello, BlobType.Data)));

        File.Delete(copyPath);
        // One copy damaged, the other gone: the error names the blob and both packs.
        var both = await Assert.ThrowsAsync<BackendException>(() => repo.LoadBlobAsync(hello, BlobType.Data));
        Assert.Contains(hello.ToString(), both.Message);
        Assert.Contains(blob.PackId.ToString(), both.Message);
        Assert.Contains(copyId.ToString(), both.Message);
    }

    private static async Task<ObjectId> FindHelloAsync(ResticRepository repo)
    {
        var snapshot = (await repo.LoadSnapshotsAsync())[0];
        var src = await SnapshotComparer.FindTreeAsync(repo, snapshot.Tree, "/tmp/fx/src");
        return src.Nodes.Single(n => n.Name == "hello.txt").Content[0];
    }

    private static async Task<byte[]> ReadFileAsync(ResticRepository repo, Node file)
    {
        var content = new MemoryStream();
        foreach (var blob in file.Content)
            content.Write(await repo.LoadBlobAsync(blob, BlobType.Data));
        Assert.Equal(file.Size, (ulong)content.Length);
        return content.ToArray();
    }
}
