using System.Buffers;
using StashMount.Backends;
using StashMount.Repository.Compression;
using StashMount.Repository.Config;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;
using StashMount.Repository.Keys;
using StashMount.Repository.Snapshots;
using StashMount.Repository.Trees;

namespace StashMount.Repository;

/// <summary>
/// An open restic repository: its config and master key, the blob index, and loaders for snapshots,
/// trees and blobs. Thread-safe.
/// </summary>
public sealed class ResticRepository : IAsyncDisposable
{
    private ResticRepository(IBackend backend, RepositoryConfig config, MasterKey key)
    {
        Backend = backend;
        Config = config;
        Key = key;
    }

    public IBackend Backend { get; }

    public RepositoryConfig Config { get; }

    public MasterKey Key { get; }

    /// <summary>The ID of the key file the password opened (empty when the repository was built from a key).</summary>
    public string KeyId { get; private init; } = "";

    public BlobIndex Index { get; } = new();

    private readonly IndexLoader _indexLoader = new();

    // Trees are immutable and small; 64 MiB of tree JSON covers the directories a mount walks repeatedly.
    private readonly TreeCache _trees = new(64L * 1024 * 1024);

    /// <summary>
    /// Opens the repository: tries every key file with the password (the one named by
    /// <paramref name="keyHint"/> first) and decrypts the config. Does not load the index.
    /// Throws <see cref="RepositoryNotFoundException"/> and <see cref="WrongPasswordException"/>.
    /// </summary>
    public static async Task<ResticRepository> OpenAsync(IBackend backend, string password, string? keyHint = null, CancellationToken cancellationToken = default)
    {
        // Checked first so that a wrong location is reported as such, not as a wrong password.
        if (!await backend.ExistsAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false))
            throw new RepositoryNotFoundException(backend.Location);
        var opened = await KeyOpener.OpenAsync(backend, password, keyHint, cancellationToken).ConfigureAwait(false);
        var config = await ConfigLoader.LoadAsync(backend, opened.MasterKey, cancellationToken).ConfigureAwait(false);
        return new ResticRepository(backend, config, opened.MasterKey) { KeyId = opened.KeyId };
    }

    /// <summary>An open repository from an already known master key and config (e.g. right after init).</summary>
    public static ResticRepository FromKey(IBackend backend, RepositoryConfig config, MasterKey key) => new(backend, config, key);

    /// <summary>Loads, in parallel, every index file not loaded yet; returns how many were new.</summary>
    public Task<int> LoadIndexAsync(CancellationToken cancellationToken = default) => _indexLoader.LoadNewAsync(this, cancellationToken);

    /// <summary>
    /// Adds an index file this process saved (its blobs known without reading it back) as if it had been loaded:
    /// <see cref="LoadIndexAsync"/> then skips it.
    /// </summary>
    public Task AddSavedIndexAsync(ObjectId file, IReadOnlyList<PackedBlob> blobs, CancellationToken cancellationToken = default) =>
        _indexLoader.AddSavedAsync(this, file, blobs, cancellationToken);

    /// <summary>All snapshots, sorted by time (then ID).</summary>
    public Task<IReadOnlyList<Snapshot>> LoadSnapshotsAsync(CancellationToken cancellationToken = default) => SnapshotLoader.LoadAllAsync(this, cancellationToken);

    /// <summary>One snapshot by its full ID.</summary>
    public Task<Snapshot> LoadSnapshotAsync(ObjectId id, CancellationToken cancellationToken = default) => SnapshotLoader.LoadAsync(this, id, cancellationToken);

    /// <summary>A tree blob, decoded; cached.</summary>
    public Task<Tree> LoadTreeAsync(ObjectId id, CancellationToken cancellationToken = default) =>
        _trees.GetAsync(id, async treeId =>
        {
            var json = await LoadBlobAsync(treeId, BlobType.Tree, CancellationToken.None).ConfigureAwait(false);
            return (TreeParser.Parse(treeId, json), json.Length);
        }, cancellationToken);

    /// <summary>A blob's verified plaintext; tries every stored copy before failing.</summary>
    public Task<byte[]> LoadBlobAsync(ObjectId id, BlobType type, CancellationToken cancellationToken = default) => Packs.BlobReader.ReadAsync(this, id, type, cancellationToken);

    /// <summary>Reads, decrypts and (format v2) decompresses a whole unpacked file: config, index, snapshot, lock.</summary>
    public async Task<byte[]> LoadUnpackedAsync(FileHandle handle, CancellationToken cancellationToken = default)
    {
        if (handle.Type is FileType.Key or FileType.Pack)
            throw new ArgumentException($"{handle.Type} files are not unpacked files", nameof(handle));
        var stored = await Backend.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
        var description = handle.ToString();
        // Every file but the config is named after the SHA-256 of its bytes; a mismatch means damage.
        if (handle.Type != FileType.Config && ObjectId.TryParse(handle.Name, out var expected) && ObjectId.Hash(stored) != expected)
            throw new IntegrityException($"{description}: content does not match its name (SHA-256 mismatch)");
        var plaintext = AuthenticatedEncryption.Decrypt(Key, stored, description);
        return handle.Type == FileType.Config ? plaintext : UnpackedEncoding.Decode(plaintext, Config.Version, description);
    }

    /// <summary>Loads, verifies and parses one index file (its plaintext held only in pooled buffers, see <see cref="IndexFileDecoder"/>).</summary>
    /// <param name="buffers">The load's pool for the decrypted and decompressed bytes (<see cref="IndexFileDecoder.CreateBufferPool"/>).</param>
    public async Task<IndexFile> LoadIndexFileAsync(ObjectId id, ArrayPool<byte> buffers, CancellationToken cancellationToken = default)
    {
        var handle = new FileHandle(FileType.Index, id.ToString());
        var stored = await Backend.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
        var description = handle.ToString();
        if (ObjectId.Hash(stored) != id)
            throw new IntegrityException($"{description}: content does not match its name (SHA-256 mismatch)");
        return IndexFileDecoder.Decode(Key, stored, Config.Version, description, buffers);
    }

    /// <summary>Encrypts (and for v2, compresses) a JSON document and saves it under the SHA-256 of the stored bytes.</summary>
    /// <remarks>The config is never compressed and is saved under its fixed name; its returned ID is just the hash.</remarks>
    public async Task<ObjectId> SaveUnpackedAsync(FileType type, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        if (type is FileType.Key or FileType.Pack)
            throw new ArgumentException($"{type} files are not unpacked files", nameof(type));
        var encoded = type == FileType.Config ? plaintext.ToArray() : UnpackedEncoding.Encode(plaintext.Span, Config.Version);
        var stored = AuthenticatedEncryption.Encrypt(Key, encoded);
        var id = ObjectId.Hash(stored);
        var handle = type == FileType.Config ? FileHandle.Config : new FileHandle(type, id.ToString());
        await Backend.SaveAsync(handle, stored, cancellationToken).ConfigureAwait(false);
        return id;
    }

    public ValueTask DisposeAsync()
    {
        _trees.Dispose();
        return Backend.DisposeAsync();
    }
}
