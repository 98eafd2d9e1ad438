namespace StashMount.Repository;

/// <summary>The index has no entry for a blob a tree refers to.</summary>
public sealed class BlobNotFoundException : RepositoryException
{
    public BlobNotFoundException(ObjectId id, BlobType type) : base($"{type.ToString().ToLowerInvariant()} blob {id} not found in index") { }
}
