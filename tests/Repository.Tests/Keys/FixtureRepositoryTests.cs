using System.Text;
using System.Text.Json;
using StashMount.Backends;
using StashMount.Backends.Local;
using StashMount.Repository.Blobs;
using StashMount.Repository.Config;
using StashMount.Repository.Index;
using StashMount.TestSupport;

namespace StashMount.Repository.Tests.Keys;

/// <summary>Opens the restic 0.14 v2 fixture (password geheim) and reads its unpacked files and a blob.</summary>
public sealed class FixtureRepositoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _repo;

    public FixtureRepositoryTests()
    {
        _repo = FixtureArchive.ExtractRepository(_temp.Path);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OpensWithPasswordAndParsesConfigAndKey()
    {
        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(_repo), ResticCli.Password);
        Assert.Equal(new RepositoryConfig(2, "9abb85b8f8a1023aab87ccb278d9bf77995532e613a7eff734f55524611c5d94", 0x3ea4a5493695ddUL), repo.Config);
        Assert.StartsWith("cbec8143", repo.KeyId, StringComparison.Ordinal);
        Assert.Equal(Convert.FromBase64String("0vDOts8STWG6koQnnOUvori8yXEahkkhxz+SMKKZm4E="), repo.Key.EncryptionKey);
        Assert.Equal(Convert.FromBase64String("jxqM6acX+7BjbDCq9A7OkA=="), repo.Key.MacK);
        Assert.Equal(Convert.FromBase64String("paUOB+jLZANEnkUFIFr1Cg=="), repo.Key.MacR);
    }

    [Fact]
    public async Task WrongPasswordIsReported()
    {
        await Assert.ThrowsAsync<WrongPasswordException>(() => ResticRepository.OpenAsync(new LocalBackend(_repo), "not-geheim"));
    }

    [Fact]
    public async Task ADamagedExtraKeyFileDoesNotHideTheGoodOne()
    {
        var garbage = "{\"kdf\":\"scrypt\",\"salt\":\"AAAA\"}"u8.ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_repo, "keys", ObjectId.Hash(garbage).ToString()), garbage);
        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(_repo), ResticCli.Password);
        Assert.StartsWith("cbec8143", repo.KeyId, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WrongPasswordException>(() => ResticRepository.OpenAsync(new LocalBackend(_repo), "not-geheim"));
    }

    [Fact]
    public async Task OnlyDamagedKeyFilesAreReportedAsDamage()
    {
        foreach (var key in Directory.GetFiles(Path.Combine(_repo, "keys")))
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllTextAsync(key, "not json");
        }
        var e = await Assert.ThrowsAsync<IntegrityException>(() => ResticRepository.OpenAsync(new LocalBackend(_repo), ResticCli.Password));
        Assert.Contains("cbec8143", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingConfigIsRepositoryNotFound()
    {
        await Assert.ThrowsAsync<RepositoryNotFoundException>(() => ResticRepository.OpenAsync(new LocalBackend(_temp.Combine("nothing-here")), "geheim"));
    }

    [Fact]
    public async Task LoadsCompressedSnapshotAndIndex()
    {
        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(_repo), ResticCli.Password, keyHint: "cbec");
        var snapshot = await repo.LoadUnpackedAsync(new FileHandle(FileType.Snapshot, "82aa14fabdaa42e52e6bb6315b7197d3bf1e71e5f532789f9cd30771602f20f8"));
        using var snapshotJson = JsonDocument.Parse(snapshot);
        Assert.Equal("fixture", snapshotJson.RootElement.GetProperty("hostname").GetString());
        Assert.StartsWith("8ae19678", snapshotJson.RootElement.GetProperty("tree").GetString(), StringComparison.Ordinal);

        var index = await repo.LoadUnpackedAsync(new FileHandle(FileType.Index, "aa4010f5edf47eb767f9a778664ff2f79b94b07f7e504f66aa50d42606f3e84e"));
        using var indexJson = JsonDocument.Parse(index);
        Assert.Equal(2, indexJson.RootElement.GetProperty("packs").GetArrayLength());
    }

    [Fact]
    public async Task DecodesABlobAndRejectsATamperedOne()
    {
        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(_repo), ResticCli.Password);
        var index = await repo.LoadUnpackedAsync(new FileHandle(FileType.Index, "aa4010f5edf47eb767f9a778664ff2f79b94b07f7e504f66aa50d42606f3e84e"));
        var hello = FindBlob(index, "fbbd6919");
        var stored = new byte[hello.Length];
        await repo.Backend.ReadAsync(new FileHandle(FileType.Pack, hello.PackId.ToString()), hello.Offset, stored);

        var plaintext = new byte[hello.PlaintextLength];
        BlobDecoder.Decode(repo.Key, hello, stored, plaintext);
        Assert.Equal("hello restic\n", Encoding.UTF8.GetString(plaintext));

        stored[20] ^= 0x10;
        var e = Assert.Throws<IntegrityException>(() => BlobDecoder.Decode(repo.Key, hello, stored, plaintext));
        Assert.Contains(hello.Id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(hello.PackId.ToString(), e.Message, StringComparison.Ordinal);

        stored[20] ^= 0x10;
        var wrongId = hello with { Id = ObjectId.Hash("other"u8) };
        Assert.Throws<IntegrityException>(() => BlobDecoder.Decode(repo.Key, wrongId, stored, plaintext));
    }

    [Fact]
    public async Task TamperedSnapshotFileIsAnIntegrityError()
    {
        const string name = "82aa14fabdaa42e52e6bb6315b7197d3bf1e71e5f532789f9cd30771602f20f8";
        var path = Path.Combine(_repo, "snapshots", name);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[40] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);
        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(_repo), ResticCli.Password);
        var e = await Assert.ThrowsAsync<IntegrityException>(() => repo.LoadUnpackedAsync(new FileHandle(FileType.Snapshot, name)));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavedUnpackedFilesReadBack()
    {
        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(_repo), ResticCli.Password);
        var json = "{\"time\":\"2026-01-01T00:00:00Z\",\"tree\":\"x\",\"paths\":[\"/a\"]}"u8.ToArray();
        var id = await repo.SaveUnpackedAsync(FileType.Snapshot, json);
        var stored = await File.ReadAllBytesAsync(Path.Combine(_repo, "snapshots", id.ToString()));
        Assert.Equal(id, ObjectId.Hash(stored));
        Assert.Equal(json, await repo.LoadUnpackedAsync(new FileHandle(FileType.Snapshot, id.ToString())));
    }

    /// <summary>Just enough index parsing for this test; the real index reader lives in Index/.</summary>
    private static PackedBlob FindBlob(byte[] indexJson, string idPrefix)
    {
        using var doc = JsonDocument.Parse(indexJson);
        foreach (var pack in doc.RootElement.GetProperty("packs").EnumerateArray())
            foreach (var blob in pack.GetProperty("blobs").EnumerateArray())
                if (blob.GetProperty("id").GetString()!.StartsWith(idPrefix, StringComparison.Ordinal))
                    return new PackedBlob(
                        ObjectId.Parse(blob.GetProperty("id").GetString()!),
                        blob.GetProperty("type").GetString() == "tree" ? BlobType.Tree : BlobType.Data,
                        ObjectId.Parse(pack.GetProperty("id").GetString()!),
                        blob.GetProperty("offset").GetUInt32(),
                        blob.GetProperty("length").GetUInt32(),
                        blob.TryGetProperty("uncompressed_length", out var u) ? u.GetUInt32() : 0);
        throw new InvalidOperationException("blob not in index: " + idPrefix);
    }
}
