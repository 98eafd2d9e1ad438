namespace StashMount.Backends;

/// <summary>
/// The one storage interface every backend implements. Files are immutable once saved: a save is
/// atomic (readers never see a partial file) and a file is never rewritten in place.
/// Cross-cutting concerns (retries, connection limits, logging) are decorators around it.
/// </summary>
public interface IBackend : IAsyncDisposable
{
    /// <summary>Where the repository lives, for messages; never contains a secret.</summary>
    string Location { get; }

    /// <summary>How many requests the backend serves well in parallel.</summary>
    int Connections { get; }

    /// <summary>Every file of one type. Order is unspecified.</summary>
    IAsyncEnumerable<BackendFileInfo> ListAsync(FileType type, CancellationToken cancellationToken = default);

    /// <summary>The file's size; throws <see cref="BackendFileNotFoundException"/> when it does not exist.</summary>
    Task<BackendFileInfo> StatAsync(FileHandle handle, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>. Reading past
    /// the end of the file is an error, so a short file never passes silently.
    /// </summary>
    Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken = default);

    /// <summary>Stores the file atomically. Saving an existing name is an error.</summary>
    Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Removes the file; removing a missing file is not an error.</summary>
    Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken = default);
}
