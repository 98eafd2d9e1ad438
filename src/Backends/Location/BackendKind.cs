namespace StashMount.Backends;

/// <summary>The storage kinds a repository string can name (restic's scheme before the first ':').</summary>
public enum BackendKind
{
    Local,
    Rest,
    S3,
    Gcs,
    Azure,
    B2,
    Swift,
}
