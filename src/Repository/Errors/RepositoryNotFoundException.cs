namespace StashMount.Repository;

/// <summary>There is no repository (no config file) at the location (restic exits 10).</summary>
public sealed class RepositoryNotFoundException : RepositoryException
{
    public RepositoryNotFoundException(string location) : base($"repository does not exist: unable to open config file in {location}") { }
}
