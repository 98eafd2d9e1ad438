using StashMount.Backends;
using StashMount.Repository.Config;
using StashMount.Repository.Crypto;
using StashMount.Repository.Index;
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

    public BlobIndex Index { get; } = new();

    /// <summary>
    /// Opens the repository: tries every key file with the password (the one named by
    /// <paramref name="keyHint"/> first) and decrypts the config. Does not load the index.
    /// Throws <see cref="RepositoryNotFoundException"/> and <see cref="WrongPasswordException"/>.
    /// </summary>
    public static Task<ResticRepository> OpenAsync(IBackend backend, string password, string? keyHint = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Loads, in parallel, every index file not loaded yet; returns how many were new.</summary>
    public Task<int> LoadIndexAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>All snapshots, sorted by time (then ID).</summary>
    public Task<IReadOnlyList<Snapshot>> LoadSnapshotsAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>A tree blob, decoded; cached.</summary>
    public Task<Tree> LoadTreeAsync(ObjectId id, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>A blob's verified plaintext; tries every stored copy before failing.</summary>
    public Task<byte[]> LoadBlobAsync(ObjectId id, BlobType type, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Reads, decrypts and (format v2) decompresses a whole unpacked file: config, index, snapshot, lock.</summary>
    public Task<byte[]> LoadUnpackedAsync(FileHandle handle, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Encrypts (and for v2, compresses) a JSON document and saves it under the SHA-256 of the stored bytes.</summary>
    public Task<ObjectId> SaveUnpackedAsync(FileType type, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => Backend.DisposeAsync();
}
