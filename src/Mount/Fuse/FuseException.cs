namespace StashMount.Mount.Fuse;

/// <summary>Thrown by a filesystem callback to answer the request with a specific errno (positive, e.g. ENOENT).</summary>
public sealed class FuseException(int errno, string? message = null) : Exception(message ?? $"errno {errno}")
{
    public int Errno { get; } = errno;
}
