namespace StashMount.Repository;

/// <summary>No key file opens with the given password (restic exits 12).</summary>
public sealed class WrongPasswordException : RepositoryException
{
    public WrongPasswordException() : base("wrong password or no key found") { }
}
